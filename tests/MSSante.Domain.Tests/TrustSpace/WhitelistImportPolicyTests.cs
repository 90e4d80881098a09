using MSSante.Domain.TrustSpace;

namespace MSSante.Domain.Tests.TrustSpace;

public class WhitelistImportPolicyTests
{
    [Theory]
    [InlineData(0, 516, true)]
    [InlineData(516, 516, true)]
    [InlineData(516, 600, true)]
    [InlineData(1000, 900, true)]   // exactly 10 % fewer: allowed
    [InlineData(1000, 899, false)]  // just over 10 %
    [InlineData(6001, 100, false)]
    [InlineData(516, 0, false)]
    public void Shrink_beyond_the_default_fraction_is_refused(int previous, int next, bool accepted)
    {
        var decision = WhitelistImportPolicy.Evaluate(previous, next);
        Assert.Equal(accepted, decision.Accepted);
        Assert.Equal(accepted, decision.Reason is null);
    }

    [Fact]
    public void Configured_fraction_is_honoured()
    {
        Assert.True(WhitelistImportPolicy.Evaluate(100, 70, 0.5).Accepted);
        Assert.False(WhitelistImportPolicy.Evaluate(100, 49, 0.5).Accepted);
        var refused = WhitelistImportPolicy.Evaluate(100, 49, 0.5);
        Assert.Contains("49", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("previous list is kept", refused.Reason, StringComparison.Ordinal);
    }
}
