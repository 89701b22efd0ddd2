namespace FocusFunctions.Worker.Tests;

public class GpuCheckTests
{
    [Fact]
    public void Run_WithoutAGpu_SaysSoAndExitsThree()
    {
        var output = new StringWriter();

        int exit = GpuCheck.Run(["gpu-check", TestStorage.RealModelPath], output);

        Assert.Equal(3, exit);
        Assert.Contains("CUDA execution provider not available", output.ToString());
    }
}
