using System.Net;
using System.Web;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using FocusFunctions.Core.Storage;

namespace FocusFunctions.Core.Tests.Processing;

/// <summary>Checks the copy request as it goes on the wire: Azurite does not check copy-source authorisation, Azure does.</summary>
public sealed class CopySourceAuthorizationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 15, 0, 0, TimeSpan.Zero);
    private static readonly ETag ScoredETag = new("\"0x8DD1234567890AB\"");

    [Fact]
    public async Task PrepareAsync_ManagedIdentity_BearerTokenInCopySourceAuthorizationHeader()
    {
        var credential = new RecordingCredential("token-123");
        var authorization = new CopySourceAuthorization(credential, new FixedTime(Now));
        var source = new BlobClient(new Uri("https://acct.blob.core.windows.net/tiles/slide-1/x000_y000.png"), credential);
        var capture = new CapturingHandler();
        var target = new BlobClient(new Uri("https://acct.blob.core.windows.net/rejected/slide-1/x000_y000.png"), credential,
            new BlobClientOptions { Transport = new HttpClientTransport(new HttpClient(capture)) });

        var (uri, options) = await authorization.PrepareAsync(source, ScoredETag, new Dictionary<string, string> { ["defocus_um"] = "3.1" }, CancellationToken.None);
        await target.SyncCopyFromUriAsync(uri, options);

        var request = Assert.Single(capture.Requests);
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes.Distinct());
        Assert.Equal("Bearer token-123", request.Header("x-ms-copy-source-authorization"));
        Assert.Equal(source.Uri.ToString(), request.Header("x-ms-copy-source"));
        Assert.Equal(ScoredETag.ToString(), request.Header("x-ms-source-if-match"));
        Assert.Equal("true", request.Header("x-ms-requires-sync"));
        Assert.Equal("3.1", request.Header("x-ms-meta-defocus_um"));
    }

    [Fact]
    public async Task PrepareAsync_SharedKey_ReadOnlySasExpiringSoonAndNoAuthorizationHeader()
    {
        var authorization = new CopySourceAuthorization(null, new FixedTime(Now));
        var service = new BlobServiceClient(StorageConnection.Development());
        var source = service.GetBlobContainerClient("tiles").GetBlobClient("slide-1/x000_y000.png");
        var capture = new CapturingHandler();
        var target = new BlobServiceClient(StorageConnection.Development(), new BlobClientOptions { Transport = new HttpClientTransport(new HttpClient(capture)) })
            .GetBlobContainerClient("rejected").GetBlobClient("slide-1/x000_y000.png");

        var (uri, options) = await authorization.PrepareAsync(source, ScoredETag, new Dictionary<string, string>(), CancellationToken.None);
        await target.SyncCopyFromUriAsync(uri, options);

        var query = HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal("r", query["sp"]);
        Assert.Equal(Now + CopySourceAuthorization.SasLifetime, DateTimeOffset.Parse(query["se"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(string.IsNullOrEmpty(query["sig"]));
        var request = Assert.Single(capture.Requests);
        Assert.Null(request.Header("x-ms-copy-source-authorization"));
        Assert.Equal(uri.ToString(), request.Header("x-ms-copy-source"));
        Assert.Equal(ScoredETag.ToString(), request.Header("x-ms-source-if-match"));
    }

    [Fact]
    public async Task PrepareAsync_ClientWithoutKeyOrCredential_SourceUriUnchanged()
    {
        var authorization = new CopySourceAuthorization(null, new FixedTime(Now));
        var source = new BlobClient(new Uri("https://acct.blob.core.windows.net/tiles/x.png?sv=2024-01-01&sig=abc"));

        var (uri, options) = await authorization.PrepareAsync(source, ScoredETag, new Dictionary<string, string>(), CancellationToken.None);

        Assert.Equal(source.Uri, uri);
        Assert.Null(options.SourceAuthentication);
    }

    private sealed class RecordingCredential(string token) : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes)
            {
                Scopes.AddRange(requestContext.Scopes);
            }

            return new AccessToken(token, Now.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed record CapturedRequest(HttpMethod Method, Uri? Uri, Dictionary<string, string> Headers)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>Records each request and answers like the service does to a successful synchronous copy.</summary>
    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<CapturedRequest> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
            lock (Requests)
            {
                Requests.Add(new CapturedRequest(request.Method, request.RequestUri, headers));
            }

            var response = new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new ByteArrayContent([]) };
            response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"0x8DDFFFF\"");
            response.Headers.Add("x-ms-copy-id", Guid.NewGuid().ToString());
            response.Headers.Add("x-ms-copy-status", "success");
            response.Content.Headers.LastModified = Now;
            return Task.FromResult(response);
        }
    }
}
