namespace MSSante.Infrastructure.Tests.TrustSpace;

/// <summary>The shared test data beside the repository (../shared/data), never copied into it.</summary>
internal static class SharedData
{
    public static string WhitelistSnapshot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MSSanteWebmail.sln")))
                {
                    var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "listeblanchemssante-2025-03-13.xml"));
                    return File.Exists(path) ? path : throw new InvalidOperationException($"Shared test data missing: {path}");
                }
            }

            throw new InvalidOperationException("Repository root not found above the test binaries.");
        }
    }
}
