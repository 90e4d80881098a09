using System.Text.Json;

namespace MSSante.IntegrationTests.Support;

/// <summary>
/// What the local operator stack (deploy/stack.sh) published about itself in .state/stack.json:
/// ports, paths of generated keys and certificates, demo identities. Integration tests read it
/// instead of hard-coding anything; when the stack is not running the test fails with a
/// message that says how to start it (an integration test never skips silently).
/// </summary>
public sealed class StackInfo
{
    private StackInfo(string repositoryRoot, JsonElement root)
    {
        RepositoryRoot = repositoryRoot;
        Json = root;
    }

    public string RepositoryRoot { get; }

    public string StateDirectory => Path.Combine(RepositoryRoot, ".state");

    /// <summary>The raw document, for values without a typed accessor yet.</summary>
    public JsonElement Json { get; }

    public string Host => Json.GetProperty("host").GetString()!;

    public int Port(string name) => Json.GetProperty("ports").GetProperty(name).GetInt32();

    public string PathOf(string name) => Json.GetProperty("paths").GetProperty(name).GetString()!;

    public static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MSSanteWebmail.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("MSSanteWebmail.sln not found above " + AppContext.BaseDirectory);
    }

    public static StackInfo Load()
    {
        var root = FindRepositoryRoot();
        var file = Path.Combine(root, ".state", "stack.json");
        if (!File.Exists(file))
        {
            throw new InvalidOperationException(
                $"The operator stack is not running ({file} is missing). Start it with: deploy/stack.sh start");
        }
        using var stream = File.OpenRead(file);
        using var doc = JsonDocument.Parse(stream);
        return new StackInfo(root, doc.RootElement.Clone());
    }
}
