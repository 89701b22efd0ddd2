using System.Globalization;

namespace FocusFunctions.Infra.Tests.Arm;

/// <summary>
/// A small evaluator for the ARM template expressions Bicep emits: enough of the language to
/// decide conditions and read configured values offline. Anything only Azure can know
/// (reference(), resource ids of other deployments, guid of unknowns) evaluates to <see cref="Unknown"/>.
/// </summary>
public abstract record ArmExpression
{
    public abstract object? Evaluate(ArmScope scope);

    public static ArmExpression Parse(string text)
    {
        var parser = new Parser(text);
        var expression = parser.ParseExpression();
        parser.ExpectEnd();
        return expression;
    }

    private sealed record Literal(object? Value) : ArmExpression
    {
        public override object? Evaluate(ArmScope scope) => Value;
    }

    private sealed record Member(ArmExpression Target, string Name) : ArmExpression
    {
        public override object? Evaluate(ArmScope scope) => Target.Evaluate(scope) switch
        {
            Unknown => Unknown.Value,
            IDictionary<string, object?> obj when obj.TryGetValue(Name, out var value) => value,
            var other => throw new InvalidOperationException($"No property '{Name}' on {Describe(other)}."),
        };
    }

    private sealed record Index(ArmExpression Target, ArmExpression Key) : ArmExpression
    {
        public override object? Evaluate(ArmScope scope) => (Target.Evaluate(scope), Key.Evaluate(scope)) switch
        {
            (Unknown, _) or (_, Unknown) => Unknown.Value,
            (IList<object?> list, long i) => list[(int)i],
            (IDictionary<string, object?> obj, string key) when obj.TryGetValue(key, out var value) => value,
            var (target, key) => throw new InvalidOperationException($"Cannot index {Describe(target)} by {key}."),
        };
    }

    internal sealed record Call(string Name, IReadOnlyList<ArmExpression> Args) : ArmExpression
    {
        public override object? Evaluate(ArmScope scope) => ArmFunctions.Invoke(Name, Args, scope);
    }

    internal static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        IDictionary<string, object?> => "an object",
        IList<object?> => "an array",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };

    private sealed class Parser(string text)
    {
        private int _pos;

        public ArmExpression ParseExpression()
        {
            var expression = ParsePrimary();
            while (true)
            {
                SkipSpace();
                if (TryTake('.'))
                {
                    expression = new Member(expression, ReadIdentifier());
                }
                else if (TryTake('['))
                {
                    var key = ParseExpression();
                    Take(']');
                    expression = new Index(expression, key);
                }
                else
                {
                    return expression;
                }
            }
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (_pos != text.Length)
            {
                throw Error("end of expression");
            }
        }

        private ArmExpression ParsePrimary()
        {
            SkipSpace();
            if (TryTake('\''))
            {
                return new Literal(ReadString());
            }

            if (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '-'))
            {
                var start = _pos++;
                while (_pos < text.Length && char.IsDigit(text[_pos]))
                {
                    _pos++;
                }

                return new Literal(long.Parse(text[start.._pos], CultureInfo.InvariantCulture));
            }

            var name = ReadIdentifier();
            Take('(');
            var args = new List<ArmExpression>();
            SkipSpace();
            if (!TryTake(')'))
            {
                do
                {
                    args.Add(ParseExpression());
                    SkipSpace();
                }
                while (TryTake(','));
                Take(')');
            }

            return new Call(name, args);
        }

        private string ReadString()
        {
            var builder = new System.Text.StringBuilder();
            while (true)
            {
                if (_pos >= text.Length)
                {
                    throw Error("closing quote");
                }

                var c = text[_pos++];
                if (c != '\'')
                {
                    builder.Append(c);
                }
                else if (_pos < text.Length && text[_pos] == '\'')
                {
                    builder.Append('\'');
                    _pos++;
                }
                else
                {
                    return builder.ToString();
                }
            }
        }

        private string ReadIdentifier()
        {
            SkipSpace();
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_'))
            {
                _pos++;
            }

            return _pos > start ? text[start.._pos] : throw Error("identifier");
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private bool TryTake(char c)
        {
            SkipSpace();
            if (_pos < text.Length && text[_pos] == c)
            {
                _pos++;
                return true;
            }

            return false;
        }

        private void Take(char c)
        {
            if (!TryTake(c))
            {
                throw Error($"'{c}'");
            }
        }

        private FormatException Error(string expected) =>
            new($"Expected {expected} at {_pos} in [{text}].");
    }
}
