namespace FocusFunctions.Infra.Tests;

/// <summary>The report and the slide API show patient tissue: Entra ID sign-in in front of the Function app.</summary>
public class EntraAuthTests
{
    private static readonly IReadOnlyList<Arm.DeployedResource> Resources = MainTemplate.Deploy(enableGpuWorker: false);

    private static IDictionary<string, object?> Auth => Resources.SiteConfig("authsettingsV2")!.Properties;

    [Fact]
    public void ByDefault_EveryRequestNeedsSignIn_BrowsersSentToEntra()
    {
        Assert.Equal(true, Auth.At("platform.enabled"));
        Assert.Equal(true, Auth.At("globalValidation.requireAuthentication"));
        Assert.Equal("RedirectToLoginPage", Auth.At("globalValidation.unauthenticatedClientAction"));
        Assert.Equal("azureactivedirectory", Auth.At("globalValidation.redirectToProvider"));
        Assert.Equal(true, Auth.At("httpSettings.requireHttps"));
    }

    [Fact]
    public void ByDefault_OnlyTheEventGridWebhookIsExcluded()
    {
        // Event Grid cannot sign in; the webhook keeps its blobs_extension key.
        Assert.Equal(["/runtime/webhooks/blobs"], ((IList<object?>)Auth.At("globalValidation.excludedPaths")!).Cast<string>());
    }

    [Fact]
    public void ByDefault_EntraProviderOfTheDeployingTenant_WithTheGivenRegistrationAndNoSecret()
    {
        Assert.Equal(true, Auth.At("identityProviders.azureActiveDirectory.enabled"));
        Assert.Equal(MainTemplate.TestAuthClientId, Auth.At("identityProviders.azureActiveDirectory.registration.clientId"));
        var registration = (IDictionary<string, object?>)Auth.At("identityProviders.azureActiveDirectory.registration")!;
        Assert.False(registration.ContainsKey("clientSecretSettingName"));
        Assert.Contains(MainTemplate.TestAuthClientId, ((IList<object?>)Auth.At("identityProviders.azureActiveDirectory.validation.allowedAudiences")!).Cast<string>());
        // The issuer is the tenant of the deployment, resolved by ARM at deploy time.
        string issuer = Resources.SiteConfig("authsettingsV2")!.Definition["properties"]!["identityProviders"]!["azureActiveDirectory"]!["registration"]!["openIdIssuer"]!.ToString();
        Assert.Contains("tenant().tenantId", issuer);
        Assert.Contains("environment().authentication.loginEndpoint", issuer);
        Assert.Contains("/v2.0", issuer);
    }

    [Fact]
    public void TurnedOff_NoAuthSettings()
    {
        var resources = MainTemplate.Deploy(false, ("enableEntraAuth", false), ("authClientId", ""));

        Assert.Null(resources.SiteConfig("authsettingsV2"));
        Assert.NotNull(resources.SiteConfig("appsettings"));
    }

    [Fact]
    public void OnWithoutClientId_DeploymentRefusedWithTheWayOut()
    {
        var error = Assert.Throws<Arm.ArmDeploymentFailedException>(() => MainTemplate.Deploy(false, ("authClientId", "")));

        Assert.Contains("azd env set AUTH_CLIENT_ID", error.Message);
        Assert.Contains("ENABLE_ENTRA_AUTH false", error.Message);
    }

    [Fact]
    public void Parameters_AzdEnvironmentNames()
    {
        string parameters = File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "main.parameters.json"));

        Assert.Contains("\"${ENABLE_ENTRA_AUTH=true}\"", parameters);
        Assert.Contains("\"${AUTH_CLIENT_ID}\"", parameters);
    }
}
