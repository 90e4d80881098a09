using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MSSante.Infrastructure.Operator;

/// <summary>Registration of the operator token issuer.</summary>
public static class OperatorTokenServiceCollectionExtensions
{
    /// <summary>
    /// Binds section <c>OperatorToken</c> (validated at start: a missing key file stops the host
    /// with a clear message) and registers <see cref="IOperatorTokenIssuer"/> as a singleton.
    /// </summary>
    public static IServiceCollection AddOperatorTokenIssuer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<OperatorTokenOptions>()
            .Bind(configuration.GetSection(OperatorTokenOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.SigningKeyFile), "OperatorToken:SigningKeyFile must name an existing PEM file.")
            .ValidateOnStart();
        services.AddSingleton<IOperatorTokenIssuer, OperatorTokenIssuer>();
        return services;
    }
}
