namespace MSSante.Webmail.Hosting;

internal static class SettingsDirectoryExtensions
{
    /// <summary>Environment variable naming a directory whose <c>*.json</c> files override appsettings.</summary>
    public const string VariableName = "MSSANTE_SETTINGS_DIR";

    /// <summary>
    /// Loads every <c>*.json</c> of the directory named by <c>MSSANTE_SETTINGS_DIR</c>, in name
    /// order, on top of appsettings: the operator stack writes operator.json there, the card
    /// scripts cardlogin.json. Environment variables and the command line still win.
    /// </summary>
    public static WebApplicationBuilder AddSettingsDirectory(this WebApplicationBuilder builder)
    {
        var directory = Environment.GetEnvironmentVariable(VariableName);
        if (string.IsNullOrWhiteSpace(directory))
        {
            return builder;
        }
        directory = Path.GetFullPath(directory);
        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"{VariableName} names {directory}, which does not exist.");
        }
        var files = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).ToList();
        // Re-add the sources that must keep precedence over the directory's files.
        var sources = builder.Configuration.Sources;
        var tail = sources
            .Where(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource
                || s is Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationSource)
            .ToList();
        foreach (var file in files)
        {
            builder.Configuration.AddJsonFile(file, optional: false, reloadOnChange: false);
        }
        foreach (var source in tail)
        {
            sources.Remove(source);
            sources.Add(source);
        }
        return builder;
    }
}
