using System.Text.Json.Nodes;

namespace Mizzen.Triggers.Tests;

public sealed class PayloadConstraintsTests
{
    private static readonly JsonObject Payload = JsonNode.Parse("""
        {"branch":"release-1.2","build":42,"ok":true,"tags":["a","prod-eu"],"repository":{"name":"shop","owner":{"login":"acme"}},
         "commits":[{"id":"abc123"}],"a.b":"dotted","empty":null}
        """)!.AsObject();

    [Theory]
    [InlineData("""{"branch":"release"}""", null)] // found anywhere in the value, as Java's find()
    [InlineData("""{"branch":"^release-\\d+\\.\\d+$"}""", null)]
    [InlineData("""{"branch":"^main$"}""", "'branch' is 'release-1.2', which does not match '^main$'")]
    [InlineData("""{"build":"^42$","ok":"true"}""", null)] // numbers and booleans compare as their JSON text
    [InlineData("""{"tags":"^prod-"}""", null)] // a list matches when any element does
    [InlineData("""{"branch":null}""", null)] // present is enough without a pattern
    [InlineData("""{"missing":null}""", "'missing' is not in the payload")]
    [InlineData("""{"empty":""}""", "'empty' is not in the payload")] // a null value counts as absent
    [InlineData("""{"$.repository.owner.login":"^acme$"}""", null)]
    [InlineData("""{"$.commits[0].id":"^abc"}""", null)]
    [InlineData("""{"$['a.b']":"dotted"}""", null)]
    [InlineData("""{"$.commits[3].id":null}""", "'$.commits[3].id' is not in the payload")]
    [InlineData("""{"branch":"(unclosed"}""", "'branch' is 'release-1.2', which does not match '(unclosed'")] // never matches, never throws
    public void Every_constraint_must_hold(string constraints, string? failure)
    {
        var result = PayloadConstraints.Check(JsonNode.Parse(constraints), Payload);

        if (failure is null)
        {
            result.ShouldBeNull();
        }
        else
        {
            result.ShouldBe("payloadConstraints: " + failure);
        }
    }

    [Fact]
    public void No_constraints_always_hold()
    {
        PayloadConstraints.Check(null, Payload).ShouldBeNull();
        PayloadConstraints.Check(new JsonObject(), Payload).ShouldBeNull();
    }
}
