using System.Net;
using FocusFunctions.App.Http;
using Microsoft.Azure.Functions.Worker.Http;

namespace FocusFunctions.App.Functions;

/// <summary>GET /api/slides/{slide}/rescan: the out-of-focus tiles the scanner should acquire again, with grid positions.</summary>
public sealed class RescanFunction(SlideQueries queries)
{
    [Function("Rescan")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "slides/{slide}/rescan")] HttpRequestData request,
        string slide,
        CancellationToken cancellationToken)
    {
        var tiles = await queries.RescanAsync(SlideRoute.ToSlideId(slide), cancellationToken);
        return await JsonResponses.WriteAsync(request, HttpStatusCode.OK, tiles, cancellationToken);
    }
}
