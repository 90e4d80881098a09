using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace MSSante.Webmail.Hosting;

/// <summary>
/// Serves <c>/_framework/blazor.web.js</c>. The .NET 10 package that normally carries it is not
/// obtainable here, so the build copies the ASP.NET Core 9 Components.Endpoints assembly beside
/// the host (see the csproj) and the script is read once from its managed resources.
/// </summary>
internal static class BlazorScript
{
    public const string RequestPath = "/_framework/blazor.web.js";
    private const string ResourceName = "_framework/blazor.web.js";
    internal const string SourceRelativePath = "blazor/blazor-web-js-source.bin";

    /// <summary>Reads the embedded script out of the assembly at <paramref name="assemblyPath"/>.</summary>
    public static byte[] Extract(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || metadata.GetString(resource.Name) != ResourceName)
            {
                continue;
            }
            // ECMA-335 §II.24.2.4: embedded resources sit in the CLI resources directory, each
            // preceded by its length as a 4-byte little-endian integer.
            var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            var section = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = section.GetReader((int)resource.Offset, directory.Size - (int)resource.Offset);
            var length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }
        throw new InvalidOperationException($"{assemblyPath} has no embedded resource {ResourceName}.");
    }

    public static IEndpointConventionBuilder MapBlazorScript(this IEndpointRouteBuilder endpoints)
    {
        var path = Path.Combine(AppContext.BaseDirectory, SourceRelativePath);
        // Read at start-up so a broken build fails loudly instead of serving a dead page.
        var script = Extract(path);
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexString(SHA256.HashData(script))[..32] + "\"");
        return endpoints.MapGet(RequestPath, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(script, "text/javascript; charset=utf-8", entityTag: etag);
        }).ExcludeFromDescription();
    }
}
