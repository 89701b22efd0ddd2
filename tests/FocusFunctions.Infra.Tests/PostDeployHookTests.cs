using System.Diagnostics;

namespace FocusFunctions.Infra.Tests;

public class PostDeployHookTests
{
    public static TheoryData<string> Scripts => new() { "postdeploy.sh", "postdeploy.ps1" };

    private static string Read(string script) => File.ReadAllText(RepositoryPaths.InRoot("scripts", script));

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_Always_TargetsTheProcessTileBlobsWebhook(string script)
    {
        var text = Read(script);

        Assert.Contains("systemKeys.blobs_extension", text, StringComparison.Ordinal);
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.$", text, StringComparison.Ordinal);
        Assert.Contains("'ProcessTile'", text.Replace('"', '\''), StringComparison.Ordinal);
        Assert.Contains("az eventgrid system-topic event-subscription create", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_Always_FiltersLikeTheBicepQueueSubscription(string script)
    {
        var text = Read(script);

        Assert.Contains("--included-event-types Microsoft.Storage.BlobCreated", text, StringComparison.Ordinal);
        Assert.Contains("--subject-begins-with \"/blobServices/default/containers/$container/\"", text, StringComparison.Ordinal);
        Assert.Contains("--advanced-filter data.api StringIn " + string.Join(' ', EventGridTests.UploadApis), text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_Always_DeadLettersLikeTheBicepQueueSubscription(string script)
    {
        var text = Read(script);

        Assert.Contains("--deadletter-identity systemassigned", text, StringComparison.Ordinal);
        Assert.Matches(@"--deadletter-identity-endpoint (""\$|\$env:)EVENT_DEADLETTER_ENDPOINT", text);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_Always_ReadsOnlyOutputsTheTemplateDeclares(string script)
    {
        var outputs = MainTemplate.Json["outputs"]!.AsObject().Select(o => o.Key).ToHashSet();
        var variable = script.EndsWith(".ps1", StringComparison.Ordinal) ? @"\$env:([A-Z][A-Z0-9_]+)" : @"\$\{?([A-Z][A-Z0-9_]+)";
        var used = System.Text.RegularExpressions.Regex.Matches(Read(script), variable)
            .Select(m => m.Groups[1].Value)
            .Where(name => name != "OS") // Windows' own, to detect the platform
            .Distinct()
            .ToList();

        Assert.NotEmpty(used);

        Assert.All(used, name => Assert.Contains(name, outputs));
    }

    [Fact]
    public void ShellScript_Always_ParsesAsPosixSh()
    {
        using var sh = Process.Start(new ProcessStartInfo("sh", ["-n", RepositoryPaths.InRoot("scripts", "postdeploy.sh")])
        {
            RedirectStandardError = true,
        })!;
        var errors = sh.StandardError.ReadToEnd();
        sh.WaitForExit();

        Assert.True(sh.ExitCode == 0, errors);
    }
}
