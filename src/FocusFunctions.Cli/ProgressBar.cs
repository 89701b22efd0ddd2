namespace FocusFunctions.Cli;

/// <summary>A one-line progress bar on the terminal's error stream; silent when redirected or for machine formats.</summary>
public sealed class ProgressBar : IDisposable
{
    private const int Width = 30;
    private readonly TextWriter? _terminal;
    private readonly int _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _done;
    private bool _closed;

    private ProgressBar(TextWriter? terminal, int total)
    {
        _terminal = terminal;
        _total = total;
    }

    public static ProgressBar ForTerminal(OutputFormat format, int total, TextWriter errors)
    {
        bool show = format == OutputFormat.Table && total > 1 && !Console.IsErrorRedirected && ReferenceEquals(errors, Console.Error);
        return new ProgressBar(show ? errors : null, total);
    }

    public void Advance()
    {
        _done++;
        if (_terminal is null)
        {
            return;
        }

        int filled = _total == 0 ? Width : _done * Width / _total;
        double rate = _done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        _terminal.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {_done}/{_total}  {rate:0.0} tiles/s ");
    }

    public void Dispose()
    {
        if (_terminal is not null && !_closed)
        {
            _terminal.Write("\r" + new string(' ', Width + 40) + "\r");
        }

        _closed = true;
    }
}
