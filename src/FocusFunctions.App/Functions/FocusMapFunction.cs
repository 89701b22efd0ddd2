using System.Net;
using FocusFunctions.App.Http;
using Microsoft.Azure.Functions.Worker.Http;

namespace FocusFunctions.App.Functions;

/// <summary>GET /api/slides/{slide}/focusmap.png: the slide's tiles by grid position, coloured by defocus.</summary>
public sealed class FocusMapFunction(SlideQueries queries)
{
    [Function("FocusMap")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "slides/{slide}/focusmap.png")] HttpRequestData request,
        string slide,
        CancellationToken cancellationToken)
    {
        string slideId = SlideRoute.ToSlideId(slide);
        byte[]? png;
        try
        {
            png = await queries.FocusMapAsync(slideId, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            return await JsonResponses.ErrorAsync(request, HttpStatusCode.UnprocessableEntity, ex.Message, cancellationToken);
        }

        if (png is null)
        {
            return await JsonResponses.ErrorAsync(request, HttpStatusCode.NotFound,
                $"No results with a grid position for slide '{slideId}' (positions come from names matching Storage:GridPositionPattern).", cancellationToken);
        }

        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "image/png");
        await response.Body.WriteAsync(png, cancellationToken);
        return response;
    }
}
