using System.Net;
using System.Security.Claims;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.App.Tests.Infrastructure;

/// <summary>The least of a function invocation that HTTP functions touch: services, items, a cancellation token.</summary>
public sealed class TestFunctionContext : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString();
    public override string FunctionId { get; } = "test";
    public override TraceContext TraceContext => throw new NotSupportedException();
    public override BindingContext BindingContext => throw new NotSupportedException();
    public override RetryContext RetryContext => throw new NotSupportedException();
    public override IServiceProvider InstanceServices { get; set; } = new ServiceCollection().BuildServiceProvider();
    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();
    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();
    public override IInvocationFeatures Features => throw new NotSupportedException();
}

public sealed class TestHttpRequestData(string url) : HttpRequestData(new TestFunctionContext())
{
    public override Stream Body { get; } = new MemoryStream();
    public override HttpHeadersCollection Headers { get; } = [];
    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];
    public override Uri Url { get; } = new(url);
    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];
    public override string Method => "GET";

    public override HttpResponseData CreateResponse() => new TestHttpResponseData(FunctionContext);
}

public sealed class TestHttpResponseData(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; }
    public override HttpHeadersCollection Headers { get; set; } = [];
    public override Stream Body { get; set; } = new MemoryStream();
    public override HttpCookies Cookies => throw new NotSupportedException();

    public byte[] BodyBytes() => ((MemoryStream)Body).ToArray();

    public string BodyText() => System.Text.Encoding.UTF8.GetString(BodyBytes());
}
