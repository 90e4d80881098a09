namespace MSSante.Webmail.DemoSignIn;

/// <summary>Settings of section <c>Demo</c>.</summary>
public sealed class DemoSignInOptions
{
    public const string SectionName = "Demo";

    /// <summary>The only environment name in which the demo sign-in may be enabled.</summary>
    public const string EnvironmentName = "Demo";

    /// <summary>
    /// Enables the development sign-in (pick a fictitious identity, no card). Refused at start-up
    /// unless ASPNETCORE_ENVIRONMENT is <c>Demo</c>; even then it answers loopback clients only.
    /// </summary>
    public bool DevelopmentSignIn { get; set; }

    /// <summary>
    /// JSON file listing the demo identities (the operator stack's <c>stack.json</c>, or
    /// <c>deploy/demo/identities.json</c>). Empty: <c>stack.json</c> beside the settings
    /// directory named by MSSANTE_SETTINGS_DIR.
    /// </summary>
    public string? IdentitiesFile { get; set; }
}
