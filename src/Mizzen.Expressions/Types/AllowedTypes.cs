namespace Mizzen.Expressions.Types;

/// <summary>
/// Kork's allow-list: the only types <c>T(...)</c> and <c>new</c> can reach. A name may be simple (<c>UUID</c>) or
/// carry its Java package (<c>java.util.UUID</c>); any other name is refused.
/// </summary>
internal static class AllowedTypes
{
    private static readonly AllowedType[] All =
    [
        new StringType(), new IntegerType(), new LongType(), new DoubleType(), new BooleanType(), new MathType(),
        new UuidType(), new LocalDateType(), new LocalDateTimeType(), new InstantType(), new ChronoUnitType(),
        new DayOfWeekType(), new TemporalAdjustersType(), new UrlEncoderType(), new SimpleDateFormatType(),
        new DateType(), new RandomType(),
    ];

    private static readonly Dictionary<string, AllowedType> ByName = BuildIndex();

    public static IEnumerable<string> Names => All.Select(t => t.SimpleName);

    private static Dictionary<string, AllowedType> BuildIndex()
    {
        var index = new Dictionary<string, AllowedType>(StringComparer.Ordinal);
        foreach (var type in All)
        {
            index[type.JavaName] = type;
            index[type.SimpleName] = type;
        }

        return index;
    }

    public static AllowedType Resolve(string name) =>
        ByName.TryGetValue(name, out var type)
            ? type
            : throw new ExpressionException(
                $"EL1005E: Type cannot be found '{name}': only these types are allowed in pipeline expressions: {string.Join(", ", Names)}");
}
