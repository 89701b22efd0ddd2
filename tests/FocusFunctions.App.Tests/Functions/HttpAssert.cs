using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Http;

namespace FocusFunctions.App.Tests.Functions;

internal static class HttpAssert
{
    public static TestHttpResponseData Status(HttpStatusCode expected, HttpResponseData response)
    {
        var test = Assert.IsType<TestHttpResponseData>(response);
        Assert.True(expected == test.StatusCode, $"Expected {expected}, got {test.StatusCode}: {test.BodyText()}");
        return test;
    }

    public static JsonElement Json(HttpStatusCode expected, HttpResponseData response)
    {
        var test = Status(expected, response);
        Assert.True(test.Headers.TryGetValues("Content-Type", out var types));
        Assert.StartsWith("application/json", types.Single());
        return JsonDocument.Parse(test.BodyBytes()).RootElement;
    }
}
