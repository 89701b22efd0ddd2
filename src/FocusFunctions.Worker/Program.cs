using FocusFunctions.Worker;
using FocusFunctions.Worker.Extensions;

if (args is ["gpu-check", ..])
{
    return GpuCheck.Run(args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddWorkerServices();

var app = builder.Build();
app.MapWorkerHealth();
app.Run();
return 0;
