namespace FocusFunctions.Infra.Tests;

public class SecretScannerTests
{
    [Fact]
    public void Findings_CompiledMainTemplate_IsEmpty()
    {
        var findings = SecretScanner.Findings(MainTemplate.Text);

        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }

    [Theory]
    [InlineData("""{ "value": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-01-01').keys[0].value]" }""")]
    [InlineData("""{ "value": "[listkeys(variables('id'), '2023-01-01')]" }""")]
    [InlineData("""{ "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc" }""")]
    [InlineData("""{ "sharedKey": "[parameters('key')]" }""")]
    [InlineData("""{ "connectionString": "Endpoint=sb://x/;SharedAccessKeyName=root;SharedAccessKey=abc" }""")]
    public void Findings_TemplateThatLeaksAKey_IsReported(string template)
    {
        Assert.NotEmpty(SecretScanner.Findings(template));
    }

    [Fact]
    public void Findings_IdentityOnlyConnection_IsEmpty()
    {
        const string template = """{ "AzureWebJobsStorage__credential": "managedidentity", "connectionString": "[reference('appi').ConnectionString]" }""";

        Assert.Empty(SecretScanner.Findings(template));
    }
}
