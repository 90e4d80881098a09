namespace MSSante.IntegrationTests.Stack;

/// <summary>The operator stack tests share the one running stack; they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection
{
    public const string Name = "Operator stack";
}
