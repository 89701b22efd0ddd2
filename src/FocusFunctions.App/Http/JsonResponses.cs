using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Azure.Functions.Worker.Http;

namespace FocusFunctions.App.Http;

/// <summary>JSON responses written directly, so the functions need nothing from the worker's serializer configuration.</summary>
internal static class JsonResponses
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<HttpResponseData> WriteAsync<T>(HttpRequestData request, HttpStatusCode status, T value, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await JsonSerializer.SerializeAsync(response.Body, value, Options, cancellationToken);
        return response;
    }

    public static Task<HttpResponseData> ErrorAsync(HttpRequestData request, HttpStatusCode status, string message, CancellationToken cancellationToken) =>
        WriteAsync(request, status, new ErrorBody(message), cancellationToken);

    public sealed record ErrorBody(string Error);
}
