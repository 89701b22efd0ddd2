namespace FocusFunctions.Worker.Tests;

/// <summary>The image cannot be built here (no Docker engine); these read the Dockerfile for the promises it makes.</summary>
public class DockerfileTests
{
    private static readonly string[] Lines =
        File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "src", "FocusFunctions.Worker", "Dockerfile"));

    [Fact]
    public void Dockerfile_RuntimeStage_IsCudaWithCudnnAndRunsAsNonRoot()
    {
        var stages = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("FROM nvidia/cuda:13.", stages[^1]);
        Assert.Contains("cudnn-runtime", stages[^1]);
        var user = Lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotContain("root", user);
        Assert.True(Array.FindLastIndex(Lines, l => l.StartsWith("USER ", StringComparison.Ordinal)) > Array.FindLastIndex(Lines, l => l.StartsWith("COPY ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Dockerfile_BakesInTheModelAndServesHealthOn8080()
    {
        Assert.Contains(Lines, l => l.Contains("models/focus-model.onnx models/focus-model.json", StringComparison.Ordinal));
        Assert.Contains(Lines, l => l.Contains("Scoring__ModelPath=/app/models/focus-model.onnx", StringComparison.Ordinal));
        Assert.Contains(Lines, l => l.Contains("ASPNETCORE_HTTP_PORTS=8080", StringComparison.Ordinal));
        Assert.Contains("EXPOSE 8080", Lines);
    }
}
