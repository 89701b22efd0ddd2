using System.Net;
using FocusFunctions.App.Http;
using Microsoft.Azure.Functions.Worker.Http;

namespace FocusFunctions.App.Functions;

/// <summary>GET /api/slides/{slide}: tiles per verdict, mean and median defocus, rejected and quarantined tiles.</summary>
public sealed class SlideSummaryFunction(SlideQueries queries)
{
    [Function("SlideSummary")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "slides/{slide}")] HttpRequestData request,
        string slide,
        CancellationToken cancellationToken)
    {
        string slideId = SlideRoute.ToSlideId(slide);
        var summary = await queries.SummaryAsync(slideId, cancellationToken);
        return summary is null
            ? await JsonResponses.ErrorAsync(request, HttpStatusCode.NotFound, $"No results for slide '{slideId}'.", cancellationToken)
            : await JsonResponses.WriteAsync(request, HttpStatusCode.OK, summary, cancellationToken);
    }
}
