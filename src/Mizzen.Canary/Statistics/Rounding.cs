using System.Globalization;

namespace Mizzen.Canary.Statistics;

/// <summary>Decimal rounding of doubles as Kayenta's score does it (commons-math <c>Precision.round</c>: the shortest decimal form, then HALF_UP).</summary>
public static class Rounding
{
    public static double HalfUp(double value, int decimals)
    {
        if (!double.IsFinite(value))
        {
            return value;
        }

        var shortest = decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        return (double)Math.Round(shortest, decimals, MidpointRounding.AwayFromZero);
    }
}
