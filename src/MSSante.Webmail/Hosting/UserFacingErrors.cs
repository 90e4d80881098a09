namespace MSSante.Webmail.Hosting;

/// <summary>
/// The one place where an exception becomes what a user reads: a French sentence, never a
/// stack trace nor a server message that could carry health data.
/// </summary>
public static class UserFacingErrors
{
    public static string Describe(Exception exception) => exception switch
    {
        TimeoutException => "Le serveur de messagerie ne répond pas. Réessayez dans quelques instants.",
        OperationCanceledException => "L'opération a été interrompue.",
        System.Net.Sockets.SocketException or System.IO.IOException =>
            "La connexion au serveur de messagerie a été perdue. Réessayez dans quelques instants.",
        System.Security.Authentication.AuthenticationException =>
            "La connexion sécurisée au serveur de messagerie a échoué (certificat non reconnu).",
        UnauthorizedAccessException => "Vous n'avez pas accès à cette ressource.",
        _ => "Une erreur inattendue s'est produite. Si elle se reproduit, contactez votre support.",
    };
}
