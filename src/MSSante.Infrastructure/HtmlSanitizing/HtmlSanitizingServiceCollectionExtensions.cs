using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MSSante.Infrastructure.HtmlSanitizing;

/// <summary>Registration of what the reading pane needs besides the (stateless) sanitiser.</summary>
public static class HtmlSanitizingServiceCollectionExtensions
{
    /// <summary>Registers the per-host <see cref="MessageDocumentCache"/> (section <c>ReadingPane</c>).</summary>
    public static IServiceCollection AddMessageDocumentCache(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MessageDocumentCacheOptions>()
            .Bind(configuration.GetSection(MessageDocumentCacheOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<MessageDocumentCache>();
        return services;
    }
}
