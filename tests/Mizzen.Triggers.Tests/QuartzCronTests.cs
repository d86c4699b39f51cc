using Mizzen.Triggers.Cron;

namespace Mizzen.Triggers.Tests;

public sealed class QuartzCronTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    // Thursday 2026-12-03 12:00:00 UTC
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset? Next(string expression, DateTimeOffset? after = null, TimeZoneInfo? zone = null) =>
        QuartzCron.Parse(expression, "trigger-1").Next(after ?? Now, zone ?? Utc);

    [Theory]
    [InlineData("0 0 10 ? * 2", "2026-12-07T10:00:00Z")] // Quartz's 2 is Monday (Sunday = 1)
    [InlineData("0 0 10 ? * MON-FRI", "2026-12-04T10:00:00Z")]
    [InlineData("0 0 10 ? * 1", "2026-12-06T10:00:00Z")] // Sunday
    [InlineData("0 0 10 ? * 7", "2026-12-05T10:00:00Z")] // Saturday
    [InlineData("0 0 10 ? * 2-6", "2026-12-04T10:00:00Z")] // Monday to Friday
    [InlineData("0 0 9 ? * 6#3", "2026-12-18T09:00:00Z")] // the third Friday
    [InlineData("0 0 9 ? * 6L", "2026-12-25T09:00:00Z")] // the last Friday
    [InlineData("0 0 9 L * ?", "2026-12-31T09:00:00Z")] // the last day of the month
    [InlineData("0 0 9 15W * ?", "2026-12-15T09:00:00Z")] // the weekday nearest the 15th (a Tuesday)
    [InlineData("0 30 12 * * ?", "2026-12-03T12:30:00Z")]
    [InlineData("*/15 * * * * ?", "2026-12-03T12:00:15Z")]
    [InlineData("0 0 0 1 1 ? 2028", "2028-01-01T00:00:00Z")] // the year field
    [InlineData("0 0 0 1 1 ? 2028-2032/2", "2028-01-01T00:00:00Z")]
    [InlineData("0 0 0 1 1 ? 2027/3", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 0 ? 3 2#1 2029,2031", "2029-03-05T00:00:00Z")] // the first Monday of March 2029
    public void Quartz_expressions_have_their_Quartz_meaning(string expression, string expected) =>
        Next(expression).ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void A_year_in_the_past_never_fires() => Next("0 0 0 1 1 ? 2020").ShouldBeNull();

    [Theory]
    [InlineData("0 0 10 * *", "5 fields")]
    [InlineData("0 0 10 1 * MON", "sets both day-of-month")]
    [InlineData("0 0 25 ? * *", "not a valid cron expression")]
    [InlineData("0 0 10 ? * 8", "days are 1-7")]
    [InlineData("0 0 10 ? * * 1800", "years are 1970-2199")]
    [InlineData("0 0 H(1-5) ? * *", "H is supported as")]
    public void A_wrong_expression_says_what_is_wrong(string expression, string message) =>
        Should.Throw<FormatException>(() => QuartzCron.Parse(expression, "t")).Message.ShouldContain(message);

    [Fact]
    public void H_is_a_fixed_value_per_trigger_within_its_field()
    {
        var a = QuartzCron.Parse("0 H * * * ?", "trigger-a").Next(Now, Utc)!.Value;
        var again = QuartzCron.Parse("0 H * * * ?", "trigger-a").Next(Now, Utc)!.Value;
        var minutes = Enumerable.Range(0, 40).Select(i => QuartzCron.Parse("0 H * * * ?", $"t{i}").Next(Now, Utc)!.Value.Minute).Distinct().Count();

        again.ShouldBe(a);
        a.Second.ShouldBe(0);
        minutes.ShouldBeGreaterThan(10); // spread over the hour, not all at :00
    }

    [Fact]
    public void The_time_zone_decides_the_hour()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Next("0 0 10 * * ?", zone: berlin).ShouldBe(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero)); // 10:00 CET is 09:00 UTC
    }

    [Fact]
    public void The_last_occurrence_in_a_long_gap_is_found_without_walking_every_one()
    {
        var perSecond = QuartzCron.Parse("* * * * * ?", "t");
        perSecond.LastBetween(Now.AddDays(-3), Now, Utc).ShouldBe(Now);

        var daily = QuartzCron.Parse("0 0 6 * * ?", "t");
        daily.LastBetween(Now.AddDays(-3), Now, Utc).ShouldBe(new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.Zero));
        daily.LastBetween(Now.AddHours(-5), Now, Utc).ShouldBeNull(); // 07:00 to 12:00 holds no 06:00
    }
}
