namespace MSSante.Domain.Tests.TrustSpace;

/// <summary>Locates the shared test data beside the repository (never copied into it).</summary>
internal static class RepositoryData
{
    public static string WhitelistSnapshot => Path.Combine(SharedDataDirectory(), "listeblanchemssante-2025-03-13.xml");

    private static string SharedDataDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MSSanteWebmail.sln")))
            {
                var data = Path.Combine(dir.FullName, "..", "shared", "data");
                if (System.IO.Directory.Exists(data))
                {
                    return Path.GetFullPath(data);
                }

                throw new InvalidOperationException($"The shared test data directory {data} is missing: the tests need ../shared/data beside the repository.");
            }
        }

        throw new InvalidOperationException("Repository root (MSSanteWebmail.sln) not found above the test binaries.");
    }
}
