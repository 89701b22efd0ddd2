using System.Net;
using FocusFunctions.App.Http;
using FocusFunctions.Core.Scoring;
using Microsoft.Azure.Functions.Worker.Http;

namespace FocusFunctions.App.Functions;

/// <summary>GET /api/slides/{slide}/tiles[?verdict=InFocus|OutOfFocus|Indeterminate|NoTissue|Failed]: the slide's result rows.</summary>
public sealed class SlideTilesFunction(SlideQueries queries)
{
    [Function("SlideTiles")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "slides/{slide}/tiles")] HttpRequestData request,
        string slide,
        CancellationToken cancellationToken)
    {
        FocusVerdict? verdict = null;
        if (request.Query["verdict"] is { Length: > 0 } text)
        {
            if (!Enum.TryParse<FocusVerdict>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return await JsonResponses.ErrorAsync(request, HttpStatusCode.BadRequest,
                    $"Unknown verdict '{text}'; use one of {string.Join(", ", Enum.GetNames<FocusVerdict>())}.", cancellationToken);
            }

            verdict = parsed;
        }

        var rows = await queries.RowsAsync(SlideRoute.ToSlideId(slide), verdict, cancellationToken);
        return await JsonResponses.WriteAsync(request, HttpStatusCode.OK, rows, cancellationToken);
    }
}
