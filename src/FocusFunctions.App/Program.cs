using FocusFunctions.Core.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace FocusFunctions.App;

public static class Program
{
    public static void Main(string[] args) => CreateHost(args).Run();

    /// <summary>
    /// The Function app's host: the worker's defaults and the focus services. <paramref name="configure"/> runs before
    /// the focus services are added (a test adds settings and a model double there); the wiring test builds this same
    /// host, so a change here that breaks a function class fails it.
    /// </summary>
    public static IHost CreateHost(string[] args, Action<FunctionsApplicationBuilder>? configure = null)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddFocusServices();
        return builder.Build();
    }
}
