using System.Data.Common;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MSSante.Infrastructure.NationalDirectory;
using MSSante.Mail;
using MSSante.Mail.Sasl;
using MSSante.Mail.Sieve;

namespace MSSante.Webmail.Mail.Absence;

/// <summary>What the absence page shows.</summary>
/// <param name="Settings">The stored absence, or null when none was ever set here.</param>
/// <param name="Active">True when our script is the active one.</param>
/// <param name="OtherActiveScript">The name of another active script (kept running by include), or null.</param>
public sealed record AbsenceState(AbsenceSettings? Settings, bool Active, string? OtherActiveScript);

/// <summary>A French message for the page: the absence could not be read or saved.</summary>
public sealed class AbsenceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads and writes the practitioner's absence as a Sieve script on the operator's ManageSieve
/// server (RFC 5804), authenticated like IMAP with the short-lived operator token, and keeps
/// the absence notice of the national directory page in step with it (when a store is given).
/// </summary>
public sealed partial class AbsenceService(
    IOptions<ManageSieveOptions> sieveOptions,
    IOptions<OperatorMailOptions> mailOptions,
    IOperatorTokenSource tokens,
    ILogger<AbsenceService> logger,
    AbsenceNoticeStore? notices = null)
{
    private static readonly string[] NeededExtensions = ["vacation", "date", "relational"];

    /// <summary>False when the operator offers no ManageSieve (no <c>Operator:ManageSieve:Host</c>).</summary>
    public bool IsOffered => !string.IsNullOrWhiteSpace(sieveOptions.Value.Host);

    /// <summary>
    /// The stored absence of <paramref name="user"/>'s own mailbox. When the operator says no
    /// absence of ours is running (switched off from another client, say), the directory stops
    /// showing one.
    /// </summary>
    public async Task<AbsenceState> LoadAsync(MailUser user, CancellationToken cancellationToken = default)
    {
        var state = await LoadScriptAsync(user, cancellationToken);
        if (!(state.Active && state.Settings is { Enabled: true, ShowInDirectory: true }))
        {
            try
            {
                await UpdateNoticeAsync(user, null, cancellationToken);
            }
            catch (AbsenceException)
            {
                // Logged; the page still shows the absence settings, and the next save retries.
            }
        }
        return state;
    }

    private Task<AbsenceState> LoadScriptAsync(MailUser user, CancellationToken cancellationToken) =>
        RunAsync(user, async (sieve, ct) =>
        {
            var scripts = await sieve.ListScriptsAsync(ct);
            var name = sieveOptions.Value.ScriptName;
            var ours = scripts.FirstOrDefault(s => s.Name == name);
            var active = scripts.FirstOrDefault(s => s.IsActive);
            AbsenceSettings? settings = null;
            if (ours is not null)
            {
                settings = AbsenceScript.Read(await sieve.GetScriptAsync(name, ct));
            }
            return new AbsenceState(settings, ours?.IsActive == true, active is not null && active.Name != name ? active.Name : null);
        }, cancellationToken);

    /// <summary>
    /// Stores <paramref name="settings"/> and activates the script when the absence is on; when it
    /// is off, gives the activity back to the script that was active before (or to none).
    /// </summary>
    public async Task SaveAsync(MailUser user, string? displayName, AbsenceSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = AbsenceScript.Validate(settings, user.Address);
        if (problems.Count > 0)
        {
            throw new AbsenceException(string.Join(" ", problems));
        }
        await SaveScriptAsync(user, displayName, settings, cancellationToken);
        await UpdateNoticeAsync(user, settings.Enabled && settings.ShowInDirectory ? settings : null, cancellationToken);
    }

    /// <summary>Writes or removes the directory's absence notice; the script is the reference.</summary>
    private async Task UpdateNoticeAsync(MailUser user, AbsenceSettings? shown, CancellationToken cancellationToken)
    {
        if (notices is null)
        {
            return;
        }
        try
        {
            if (shown is null)
            {
                await notices.RemoveAsync(user.Address, cancellationToken);
            }
            else
            {
                await notices.SetAsync(user.Address, shown.Start, shown.End, shown.ContactAddress, cancellationToken);
            }
        }
        catch (Exception e) when (e is DbException or DbUpdateException)
        {
            LogNoticeFailed(logger, e.GetType().Name);
            throw new AbsenceException(shown is null
                ? "L'annuaire n'a pas pu être mis à jour : il peut encore vous indiquer absent. Réessayez dans quelques instants."
                : "La réponse automatique est enregistrée, mais l'annuaire n'a pas pu être mis à jour pour signaler votre absence. Réessayez dans quelques instants.", e);
        }
    }

    private Task SaveScriptAsync(MailUser user, string? displayName, AbsenceSettings settings, CancellationToken cancellationToken) =>
        RunAsync(user, async (sieve, ct) =>
        {
            var missing = NeededExtensions.Where(e => !sieve.SieveExtensions.Contains(e)).ToList();
            if (missing.Count > 0)
            {
                throw new AbsenceException("Le serveur de filtres de votre opérateur ne propose pas les extensions Sieve nécessaires (" + string.Join(", ", missing) + ").");
            }
            var name = sieveOptions.Value.ScriptName;
            var scripts = await sieve.ListScriptsAsync(ct);
            var active = scripts.FirstOrDefault(s => s.IsActive);
            string? previous;
            if (active is not null && active.Name != name)
            {
                previous = active.Name;
            }
            else if (scripts.Any(s => s.Name == name))
            {
                previous = AbsenceScript.Read(await sieve.GetScriptAsync(name, ct))?.PreviousActiveScript;
                previous = previous is not null && scripts.Any(s => s.Name == previous) ? previous : null;
            }
            else
            {
                previous = null;
            }
            var script = AbsenceScript.Build(settings with { PreviousActiveScript = previous }, user.Address, displayName);
            if (!await sieve.HaveSpaceAsync(name, System.Text.Encoding.UTF8.GetByteCount(script), ct))
            {
                throw new AbsenceException("Votre espace de filtres chez l'opérateur est plein : le message d'absence n'a pas pu être enregistré.");
            }
            await sieve.PutScriptAsync(name, script, ct);
            if (settings.Enabled)
            {
                await sieve.SetActiveAsync(name, ct);
            }
            else if (active?.Name == name)
            {
                await sieve.SetActiveAsync(previous ?? "", ct);
            }
            LogSaved(logger, settings.Enabled, settings.RedirectTo is not null);
            return 0;
        }, cancellationToken);

    private async Task<T> RunAsync<T>(MailUser user, Func<ManageSieveClient, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        if (!IsOffered)
        {
            throw new AbsenceException("Votre opérateur ne propose pas la gestion des filtres (ManageSieve) : le message d'absence ne peut pas être réglé depuis le webmail. Demandez-le à votre opérateur.");
        }
        var o = sieveOptions.Value;
        var anchors = new X509Certificate2Collection();
        foreach (var file in mailOptions.Value.TrustedCaFiles)
        {
            anchors.ImportFromPemFile(file);
        }
        await using var sieve = new ManageSieveClient(new MailConnectionOptions
        {
            Host = o.Host!,
            Port = o.Port,
            ServerName = o.ServerName,
            // RFC 5804 §2.2: ManageSieve has no implicit-TLS port; STARTTLS is mandatory here.
            Security = MailSecurity.StartTls,
            TrustAnchors = anchors,
            Timeout = TimeSpan.FromSeconds(mailOptions.Value.TimeoutSeconds),
        });
        try
        {
            await sieve.ConnectAsync(cancellationToken);
            await sieve.AuthenticateAsync(MailCredentials.OAuth(user.Address, _ => ValueTask.FromResult(tokens.Mint(user.IdNat, user.Address))), cancellationToken);
            var result = await action(sieve, cancellationToken);
            try
            {
                await sieve.LogoutAsync(cancellationToken);
            }
            catch (MailProtocolException)
            {
                // done already
            }
            return result;
        }
        catch (ManageSieveCommandException e)
        {
            LogRefused(logger, e.Command, e.ResponseCode);
            throw new AbsenceException("Le serveur de filtres de votre opérateur a refusé l'opération (réponse : « " + e.ServerText + " »).", e);
        }
        catch (Exception e) when (e is MailProtocolException or IOException or System.Net.Sockets.SocketException)
        {
            LogUnreachable(logger, e);
            throw new AbsenceException("Le serveur de filtres de votre opérateur (ManageSieve) est injoignable pour le moment. Réessayez dans quelques instants.", e);
        }
    }

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Absence script stored (enabled {Enabled}, redirection {Redirect})")]
    private static partial void LogSaved(ILogger logger, bool enabled, bool redirect);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Warning, Message = "ManageSieve refused {Command} ({Code})")]
    private static partial void LogRefused(ILogger logger, string command, string? code);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Warning, Message = "ManageSieve unreachable")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6304, Level = LogLevel.Warning, Message = "Absence notice of the directory not written ({Error})")]
    private static partial void LogNoticeFailed(ILogger logger, string error);
}
