using System.Globalization;

namespace FocusFunctions.Worker;

/// <summary>
/// The GPU's name and memory in use, read from nvidia-smi (ONNX Runtime's managed API exposes neither). ORT's CUDA
/// arena keeps what a run needed, so "used" read after a run is that run's peak plus the CUDA context.
/// </summary>
internal static class GpuMemory
{
    public static string? Describe() =>
        Query("--query-gpu=name,memory.total,driver_version") is { } line && line.Split(", ") is [var name, var total, var driver]
            ? $"{name} ({total} MiB, driver {driver})"
            : null;

    public static long? UsedMiB() =>
        long.TryParse(Query("--query-gpu=memory.used"), NumberStyles.None, CultureInfo.InvariantCulture, out long used) ? used : null;

    private static string? Query(string query)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", [query, "--format=csv,noheader,nounits", "--id=0"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return null;
            }

            string text = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(10_000) && process.ExitCode == 0 && text.Length > 0 ? text.Split('\n')[0].Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no nvidia-smi on this machine
        }
    }
}
