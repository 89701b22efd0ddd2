using FocusFunctions.Worker.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddWorkerServices();

var app = builder.Build();
app.MapWorkerHealth();
app.Run();
