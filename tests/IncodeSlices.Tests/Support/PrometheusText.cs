using System.Globalization;

namespace IncodeSlices.Tests.Support;

/// <summary>Reads samples out of a scrape in Prometheus' text format.</summary>
public static class PrometheusText
{
    /// <summary>
    /// The sum of every sample of <paramref name="metric"/> whose labels include all of <paramref name="labels"/>
    /// (<c>("outcome", "ok")</c>…); 0 when there is none, as Prometheus reads a series not yet seen.
    /// </summary>
    public static double Sample(this string scrape, string metric, params (string Name, string Value)[] labels) =>
        scrape.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(line => labels.All(l => line.Contains($"{l.Name}=\"{l.Value}\"", StringComparison.Ordinal)))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
