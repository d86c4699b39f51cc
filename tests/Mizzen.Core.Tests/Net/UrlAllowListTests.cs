using Mizzen.Core.Net;

namespace Mizzen.Core.Tests.Net;

/// <summary>Allow-list entries are compared with a URL's parsed scheme, host, port and path segments, never as string prefixes.</summary>
public sealed class UrlAllowListTests
{
    private static bool Allows(string entry, string url) => new UrlAllowList([entry], "Test:AllowList").Allows(new Uri(url));

    [Theory]
    [InlineData("http://h:1/api", "http://h:1/api")]
    [InlineData("http://h:1/api", "http://h:1/api/")]
    [InlineData("http://h:1/api", "http://h:1/api/x")]
    [InlineData("http://h:1/api", "http://h:1/api?q=1")]
    [InlineData("http://h:1/api/", "http://h:1/api")]
    [InlineData("http://h:1/api", "HTTP://H:1/api/x")]
    [InlineData("https://ci.example.com/", "https://ci.example.com/job/build")]
    [InlineData("https://ci.example.com", "https://ci.example.com:443/x")]
    [InlineData("http://127.0.0.1:29712", "http://127.0.0.1:29712/hook")]
    [InlineData("http://h:1/api", "http://h:1/x/../api/y")]
    [InlineData("http://h:1/a b", "http://h:1/a%20b/c")]
    [InlineData("http://bücher.example/", "http://xn--bcher-kva.example/x")]
    [InlineData("http://xn--bcher-kva.example/", "http://BÜCHER.example/x")]
    [InlineData("http://example.com/", "http://example.com./x")]
    [InlineData("http://example.com./", "http://example.com/x")]
    [InlineData("http://127.0.0.1/", "http://2130706433/")]
    [InlineData("http://127.0.0.1/", "http://0x7f.0.0.1/")]
    [InlineData("http://127.0.0.1/", "http://[::ffff:127.0.0.1]/")]
    [InlineData("http://h:1/api", "http://h:1/%61pi/x")]
    [InlineData("http://[::1]/", "http://[0:0:0:0:0:0:0:1]/")]
    [InlineData("config.internal", "https://config.internal:8443/x")]
    [InlineData("config.internal", "http://config.internal/")]
    [InlineData("config.internal:8443", "https://config.internal:8443/x")]
    [InlineData("127.0.0.1", "http://127.0.0.1:5000/")]
    [InlineData("::1", "http://[::1]:5000/")]
    [InlineData("[::1]:5000", "http://[::1]:5000/")]
    public void Urls_under_an_entry_are_allowed(string entry, string url) => Allows(entry, url).ShouldBeTrue();

    [Theory]
    // userinfo: the part before @ is not the host
    [InlineData("http://127.0.0.1:29712", "http://127.0.0.1:29712@127.0.0.1:29711/")]
    [InlineData("http://trusted.example", "http://trusted.example@evil.example/")]
    [InlineData("http://trusted.example", "http://trusted.example:80@evil.example/")]
    [InlineData("trusted.example", "http://trusted.example%40evil.example@evil.example/")]
    // port confusion
    [InlineData("http://h/", "http://h:8080/")]
    [InlineData("https://h/", "http://h:443/")]
    [InlineData("http://h:1/", "http://h:11/")]
    [InlineData("http://h:1/", "http://h:10/")]
    [InlineData("config.internal:8443", "https://config.internal/x")]
    // path prefix is whole segments
    [InlineData("http://h:1/api", "http://h:1/apix")]
    [InlineData("http://h:1/api", "http://h:1/ap")]
    [InlineData("http://h:1/api", "http://h:1/")]
    [InlineData("http://h:1/api", "http://h:1/api/../admin")]
    [InlineData("http://h:1/api", "http://h:1/api%2F..%2Fadmin")]
    [InlineData("http://h:1/api", "http://h:1/api/%2e%2e/admin")]
    [InlineData("http://h:1/api", "http://h:1/api%2Fx")]
    [InlineData("http://h:1/api", "http://h:1/api/%2F../admin")]
    // case: host and scheme ignore case, paths do not
    [InlineData("http://h:1/api", "http://h:1/API")]
    // host look-alikes
    [InlineData("http://example.com/", "http://example.com.evil.example/")]
    [InlineData("http://example.com/", "http://evil-example.com/")]
    [InlineData("http://example.com/", "http://example.co/")]
    [InlineData("http://bücher.example/", "http://bucher.example/")]
    [InlineData("http://127.0.0.1/", "http://127.0.0.2/")]
    [InlineData("http://[::1]/", "http://[::2]/")]
    // scheme
    [InlineData("config.internal", "ftp://config.internal/")]
    public void Urls_outside_every_entry_are_refused(string entry, string url) => Allows(entry, url).ShouldBeFalse();

    [Fact]
    public void Full_width_digits_are_judged_as_the_host_the_request_would_go_to()
    {
        // With invariant globalization (Directory.Build.props) .NET does not map "１２７" to "127", and neither does DNS:
        // the name is its own host, not 127.0.0.1. Either way the allow-list agrees with where the request would go.
        var url = new Uri("http://\uFF11\uFF12\uFF17.0.0.1/");

        new UrlAllowList(["http://127.0.0.1/"], "Test").Allows(url).ShouldBe(url.IdnHost == "127.0.0.1");
    }

    [Theory]
    [InlineData("http://%65vil.example/")]
    [InlineData("http://ex%61mple.com/")]
    [InlineData("http://127.0.0.1%2F@evil.example/")]
    public void Percent_encoded_host_names_are_not_urls_at_all(string url)
    {
        // .NET (what HttpClient sends) refuses them, so no allow-list ever sees one; the URL helpers and webhooks say "not an absolute URL".
        Uri.TryCreate(url, UriKind.Absolute, out var parsed).ShouldBe(parsed is not null && parsed.Host == "evil.example");
        if (parsed is not null)
        {
            new UrlAllowList(["http://127.0.0.1/"], "Test").Allows(parsed).ShouldBeFalse();
        }
    }

    [Theory]
    [InlineData("http://user:pw@h/")]
    [InlineData("http://h/?q=1")]
    [InlineData("http://h/#f")]
    [InlineData("h/path")]
    [InlineData("not a url")]
    [InlineData("http://")]
    public void A_bad_entry_is_refused_with_the_setting_named(string entry)
    {
        var error = Should.Throw<ArgumentException>(() => new UrlAllowList([entry], "Mizzen:Webhook:AllowedUrlPrefixes"));

        error.Message.ShouldContain("Mizzen:Webhook:AllowedUrlPrefixes");
        error.Message.ShouldContain(entry);
    }

    [Fact]
    public void Url_parts_show_the_real_host_behind_user_info()
    {
        UrlParts.TryParse(new Uri("http://127.0.0.1:29712@127.0.0.1:29711/a/b"), out var parts, out _).ShouldBeTrue();

        parts.ShouldNotBeNull();
        parts.Host.ShouldBe("127.0.0.1");
        parts.Port.ShouldBe(29711);
        parts.HasUserInfo.ShouldBeTrue();
        parts.Segments.ShouldBe(["a", "b"]);
    }
}
