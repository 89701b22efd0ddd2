using System.Net;
using FocusFunctions.App.Http;
using FocusFunctions.Core.Reports;
using Microsoft.Azure.Functions.Worker.Http;

namespace FocusFunctions.App.Functions;

/// <summary>
/// GET /api/slides/{slide}/report: the slide's focus QC page, one self-contained HTML file (the CLI's
/// <c>focus report --slide</c> writes the same bytes). It shows patient tissue: in Azure it sits behind Entra ID sign-in.
/// </summary>
public sealed class SlideReportFunction(SlideReportLoader loader)
{
    [Function("SlideReport")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "slides/{slide}/report")] HttpRequestData request,
        string slide,
        CancellationToken cancellationToken)
    {
        string slideId = SlideRoute.ToSlideId(slide);
        var report = await loader.LoadAsync(slideId, cancellationToken);
        if (report is null)
        {
            return await JsonResponses.ErrorAsync(request, HttpStatusCode.NotFound, $"No results for slide '{slideId}'.", cancellationToken);
        }

        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "text/html; charset=utf-8");
        // The same policy as the page's own meta tag, and no copy kept by browsers or proxies.
        response.Headers.Add("Content-Security-Policy", ReportPage.ContentSecurityPolicy);
        response.Headers.Add("Cache-Control", "no-store");
        response.Headers.Add("X-Content-Type-Options", "nosniff");
        response.Headers.Add("Referrer-Policy", "no-referrer");
        await response.Body.WriteAsync(ReportPage.RenderUtf8(report), cancellationToken);
        return response;
    }
}
