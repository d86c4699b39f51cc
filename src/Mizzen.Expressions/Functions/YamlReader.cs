using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mizzen.Expressions.Functions;

/// <summary>
/// Safe YAML reading (plain maps, lists and scalars; tags never create objects), like SnakeYAML's SafeConstructor.
/// Built straight from the parser's events, without recursion, and bounded as it goes (<see cref="DocumentLimits"/>):
/// the text's length, the nesting depth, the number of aliases to maps and lists, and the number of values with every
/// alias counted as the copy it stands for. An alias bomb fails on its first levels, before anything is expanded.
/// Aliases share the value they name (values are never changed after they are read), and an alias can only name a
/// value that is complete, so what is read has no cycles.
/// </summary>
internal sealed class YamlReader
{
    private readonly EvaluationState state;
    private readonly DocumentLimits limits;
    private readonly string function;
    private readonly Stack<Frame> open = new();
    private readonly Dictionary<string, Anchored> anchors = new(StringComparer.Ordinal);
    private long nodes;
    private long bytes;
    private int aliases;
    private int anchorsSeen;
    private object? root;

    private YamlReader(EvaluationState state, string function)
    {
        this.state = state;
        this.function = function;
        limits = state.Environment.Options.Documents;
    }

    public static object? ReadOne(string text, EvaluationState state, string function)
    {
        var documents = new YamlReader(state, function).Read(text, firstOnly: true);
        return documents.Count == 0 ? null : documents[0];
    }

    public static ValueList ReadAll(string text, EvaluationState state, string function) =>
        new YamlReader(state, function).Read(text, firstOnly: false);

    private ValueList Read(string text, bool firstOnly)
    {
        DocumentBounds.CheckLength(text, limits, function);
        var documents = new ValueList();
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentStart:
                        anchors.Clear(); // anchors are local to their document
                        break;
                    case DocumentEnd:
                        documents.Add(root);
                        root = null;
                        if (firstOnly)
                        {
                            return documents;
                        }

                        break;
                    case ParsingEvent current:
                        Handle(current);
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            throw new ExpressionFunctionException($"{function} failed: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this (without a position) for some malformed input, e.g. an unclosed flow sequence.
            throw new ExpressionFunctionException($"{function} failed: the text is not valid YAML", e);
        }

        return documents;
    }

    private void Handle(ParsingEvent current)
    {
        switch (current)
        {
            case MappingStart mapping:
                Open(new ValueMap(), mapping.Anchor);
                break;
            case SequenceStart sequence:
                Open(new ValueList(), sequence.Anchor);
                break;
            case MappingEnd or SequenceEnd:
                var frame = open.Pop();
                Complete(frame.Value, frame.Anchor, frame.AnchorOrder, nodes - frame.NodesBefore, bytes - frame.BytesBefore, isCollection: true);
                break;
            case Scalar scalar:
                var cost = MemoryCost.String(scalar.Value.Length) + MemoryCost.Element;
                Count(1, cost);
                var order = scalar.Anchor.IsEmpty ? 0 : Define(scalar.Anchor);
                Complete(YamlScalars.Convert(scalar), scalar.Anchor, order, 1, cost, isCollection: false, scalar.Value);
                break;
            case AnchorAlias alias:
                Alias(alias.Value.Value);
                break;
        }
    }

    private void Open(object collection, AnchorName anchor)
    {
        if (open.Count >= limits.MaxDepth)
        {
            throw new ExpressionLimitExceededException(
                $"{function}: the YAML is nested more than {limits.MaxDepth} levels deep; the limit is Mizzen:Expressions:Documents:MaxDepth");
        }

        var before = (nodes, bytes);
        Count(1, MemoryCost.Collection);
        var order = anchor.IsEmpty ? 0 : Define(anchor);
        open.Push(new Frame(collection, anchor, order, before.nodes, before.bytes));
    }

    private void Alias(string name)
    {
        if (!anchors.TryGetValue(name, out var anchored))
        {
            throw new ExpressionFunctionException($"{function} failed: alias *{name} names no anchor defined before it (&{name})");
        }

        if (anchored.Order < 0)
        {
            throw new ExpressionFunctionException($"{function} failed: alias *{name} is inside the value it names (&{name}); recursive YAML is not supported");
        }

        if (anchored.IsCollection && ++aliases > limits.MaxAliases)
        {
            throw new ExpressionLimitExceededException(
                $"{function}: the YAML has more than {limits.MaxAliases} aliases to maps or lists; the limit is Mizzen:Expressions:Documents:MaxAliases");
        }

        Count(anchored.Nodes, anchored.Bytes);
        Complete(anchored.Value, AnchorName.Empty, 0, anchored.Nodes, anchored.Bytes, anchored.IsCollection, anchored.Text);
    }

    /// <summary>
    /// An anchor is in force from where it is written (YAML's rule): it hides an earlier one of the same name at once, and
    /// while its value is still open an alias to it would be a cycle. Returns its place in the text.
    /// </summary>
    private int Define(AnchorName anchor)
    {
        var order = ++anchorsSeen;
        anchors[anchor.Value] = new Anchored(null, 0, 0, IsCollection: false, Text: null, Order: -order);
        return order;
    }

    /// <summary>Counts what was read (an alias as the copy it stands for) against the node bound and the evaluation's memory.</summary>
    private void Count(long addedNodes, long addedBytes)
    {
        nodes += addedNodes;
        bytes += addedBytes;
        if (nodes > limits.MaxNodes)
        {
            throw new ExpressionLimitExceededException(
                $"{function}: the YAML expands to more than {limits.MaxNodes} values (aliases counted as copies); the limit is Mizzen:Expressions:Documents:MaxNodes");
        }

        state.Charge(addedBytes);
    }

    private void Complete(object? value, AnchorName anchor, int order, long subtreeNodes, long subtreeBytes, bool isCollection, string? text = null)
    {
        // A later anchor of the same name (written inside this value) keeps its place.
        if (!anchor.IsEmpty && anchors.TryGetValue(anchor.Value, out var current) && current.Order == -order)
        {
            anchors[anchor.Value] = new Anchored(value, subtreeNodes, subtreeBytes, isCollection, text, order);
        }

        if (open.Count == 0)
        {
            root = value;
            return;
        }

        var parent = open.Peek();
        switch (parent.Value)
        {
            case ValueList list:
                list.Add(value);
                break;
            case ValueMap map when parent.Key is null:
                parent.Key = text ?? JavaText.ToJavaString(value, state);
                break;
            case ValueMap map:
                map[parent.Key] = value;
                parent.Key = null;
                break;
        }
    }

    private sealed class Frame(object value, AnchorName anchor, int anchorOrder, long nodesBefore, long bytesBefore)
    {
        public object Value { get; } = value;

        public AnchorName Anchor { get; } = anchor;

        public int AnchorOrder { get; } = anchorOrder;

        public long NodesBefore { get; } = nodesBefore;

        public long BytesBefore { get; } = bytesBefore;

        /// <summary>In a map: the key read, waiting for its value.</summary>
        public string? Key { get; set; }
    }

    /// <summary>A named value; <see cref="Order"/> is negative while the value is still being read.</summary>
    private sealed record Anchored(object? Value, long Nodes, long Bytes, bool IsCollection, string? Text, int Order);
}
