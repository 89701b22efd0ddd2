namespace FocusFunctions.App.Http;

/// <summary>
/// The {slide} route value as a slide id. With Storage:SlideFolderDepth above 1 a slide id holds '/', which a route
/// segment cannot; callers send it as %2F, which the host's routing leaves encoded (it decodes everything else).
/// </summary>
public static class SlideRoute
{
    public static string ToSlideId(string routeValue) =>
        routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
