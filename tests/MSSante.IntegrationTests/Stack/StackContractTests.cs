using System.Text.Json;

namespace MSSante.IntegrationTests.Stack;

/// <summary>deploy/stack.sh status and the .state/stack.json contract everyone else reads.</summary>
[Collection(StackCollection.Name)]
public sealed class StackContractTests
{
    [Fact]
    public async Task Status_reports_every_service_up_and_its_self_check_passes()
    {
        StackFacts.Load();

        var status = await StackScript.RunAsync("status", TimeSpan.FromSeconds(60));

        Assert.True(status.ExitCode == 0, status.ToString());
        foreach (var service in new[] { "dovecot", "postfix", "postgresql" })
        {
            Assert.Matches($"(?m)^{service} +up ", status.Output);
        }
        Assert.Contains("ok   imaps token login", status.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Stack_json_publishes_the_contract_ports_paths_and_token_settings()
    {
        var stack = StackFacts.Load().Info;

        Assert.Equal("127.0.0.1", stack.Host);
        var expected = new Dictionary<string, int>
        {
            ["imap"] = 10143, ["imaps"] = 10993, ["smtp"] = 10025, ["submission"] = 10587,
            ["submissions"] = 10465, ["managesieve"] = 14190, ["postgres"] = 15432,
        };
        foreach (var (name, port) in expected)
        {
            Assert.Equal(port, stack.Port(name));
        }
        foreach (var path in new[] { "caCertificate", "tokenSigningKey", "tokenPublicKey", "dovecotConfig" })
        {
            Assert.True(Path.IsPathRooted(stack.PathOf(path)) && File.Exists(stack.PathOf(path)), path + " = " + stack.PathOf(path));
        }
        Assert.True(Directory.Exists(stack.PathOf("postfixConfigDir")));
        var token = stack.Json.GetProperty("token");
        Assert.Equal("mssante-webmail", token.GetProperty("audience").GetString());
        Assert.False(string.IsNullOrEmpty(token.GetProperty("issuer").GetString()));
        Assert.False(string.IsNullOrEmpty(token.GetProperty("keyId").GetString()));
        Assert.Contains("Port=15432", stack.Json.GetProperty("postgres").GetProperty("connectionString").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Stack_json_lists_every_demo_identity_completely()
    {
        var users = StackFacts.Load().Users.EnumerateArray().ToList();

        Assert.True(users.Count >= 8);
        foreach (var user in users)
        {
            foreach (var field in new[] { "address", "idNat", "type", "displayName" })
            {
                Assert.False(string.IsNullOrEmpty(user.GetProperty(field).GetString()), $"{field} missing in {user}");
            }
            Assert.Contains(user.GetProperty("type").GetString(), new[] { "PER", "ORG", "APP" });
            Assert.Equal(JsonValueKind.Array, user.GetProperty("delegates").ValueKind);
        }
        var service = users.Single(u => u.GetProperty("address").GetString() == StackFacts.Pneumologie);
        Assert.Equal("ORG", service.GetProperty("type").GetString());
        Assert.Equal(StackFacts.Paul, service.GetProperty("responsible").GetString());
        Assert.Contains(service.GetProperty("delegates").EnumerateArray(), d => d.GetString() == StackFacts.Sophie);
        Assert.Equal("APP", users.Single(u => u.GetProperty("address").GetString() == "labo-bio@ch-demo.mssante.fr").GetProperty("type").GetString());
        Assert.All(users.Where(u => u.GetProperty("type").GetString() == "PER"),
            u => Assert.False(string.IsNullOrEmpty(u.GetProperty("profession").GetString())));
    }

    [Fact]
    public void Operator_settings_point_the_web_host_at_this_stack()
    {
        var stack = StackFacts.Load().Info;
        var file = Path.Combine(stack.StateDirectory, "settings", "operator.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var root = doc.RootElement;

        Assert.Equal(stack.Port("imaps"), root.GetProperty("Operator").GetProperty("Imap").GetProperty("Port").GetInt32());
        Assert.Equal("Tls", root.GetProperty("Operator").GetProperty("Imap").GetProperty("Security").GetString());
        Assert.Equal(stack.Port("submissions"), root.GetProperty("Operator").GetProperty("Smtp").GetProperty("Port").GetInt32());
        Assert.Equal(stack.PathOf("caCertificate"), root.GetProperty("Operator").GetProperty("TrustedCaFiles")[0].GetString());
        Assert.Equal(stack.PathOf("tokenSigningKey"), root.GetProperty("OperatorToken").GetProperty("SigningKeyFile").GetString());
        Assert.Equal(stack.Json.GetProperty("token").GetProperty("keyId").GetString(), root.GetProperty("OperatorToken").GetProperty("KeyId").GetString());
        Assert.Equal("Sqlite", root.GetProperty("Database").GetProperty("Provider").GetString());

        // The web host imports the whitelist Postfix enforces, when the stack found one.
        var whitelist = stack.Json.GetProperty("trustSpace").GetProperty("whitelistFile");
        if (whitelist.ValueKind == JsonValueKind.String)
        {
            Assert.Equal(whitelist.GetString(), root.GetProperty("Whitelist").GetProperty("Source").GetString());
        }
        else
        {
            Assert.False(root.TryGetProperty("Whitelist", out _), "no whitelist was found, yet the web host is told to import one");
        }
    }
}
