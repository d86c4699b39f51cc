using Microsoft.Extensions.Options;
using Mizzen.Server.Security.Authentication;
using Mizzen.Testing;

namespace Mizzen.Server.Tests.Security;

/// <summary>The sign-in slow-down on a test clock: free failures, then a doubling delay per user name and per address, forgotten after the window.</summary>
public sealed class LoginThrottleTests
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider clock = TestTime.Clock();
    private readonly LoginThrottle throttle;

    public LoginThrottleTests() =>
        throttle = new LoginThrottle(Options.Create(new AuthOptions { Throttle = { FreeFailures = 3, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8) } }), clock);

    [Fact]
    public void After_the_free_failures_each_failure_doubles_the_wait_up_to_the_maximum()
    {
        for (var i = 0; i < 3; i++)
        {
            throttle.RecordFailure("alice", "10.0.0.1");
            throttle.RetryAfter("alice", "10.0.0.1").ShouldBe(TimeSpan.Zero);
        }

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            throttle.RecordFailure("alice", "10.0.0.1");
            waits.Add(throttle.RetryAfter("alice", "10.0.0.1"));
            clock.Advance(waits[^1]);
            throttle.RetryAfter("alice", "10.0.0.1").ShouldBe(TimeSpan.Zero);
        }

        waits.Select(w => w.TotalSeconds).ShouldBe([1, 2, 4, 8, 8, 8]);
    }

    [Fact]
    public void Failures_count_per_user_whatever_the_address_and_per_address_whatever_the_user()
    {
        for (var i = 0; i < 4; i++)
        {
            throttle.RecordFailure("alice", $"10.0.0.{i}");
            throttle.RecordFailure($"user{i}", "10.9.9.9");
        }

        throttle.RetryAfter("ALICE", "10.0.0.200").ShouldBe(TimeSpan.FromSeconds(1));
        throttle.RetryAfter("someone-else", "10.9.9.9").ShouldBe(TimeSpan.FromSeconds(1));
        throttle.RetryAfter("someone-else", "10.0.0.200").ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void A_success_clears_the_users_count_and_old_failures_are_forgotten_after_the_window()
    {
        for (var i = 0; i < 4; i++)
        {
            throttle.RecordFailure("alice", null);
            throttle.RecordFailure("bob", null);
        }

        throttle.RecordSuccess("alice");
        throttle.RetryAfter("alice", null).ShouldBe(TimeSpan.Zero);
        throttle.RetryAfter("bob", null).ShouldBe(TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        throttle.RecordFailure("bob", null);
        throttle.RetryAfter("bob", null).ShouldBe(TimeSpan.Zero);
    }
}
