using FocusFunctions.Infra.Tests.Arm;

namespace FocusFunctions.Infra.Tests;

public class ArmExpressionTests
{
    private static readonly JsonObject Template = JsonNode.Parse("""
        {
          "parameters": {
            "on": { "type": "bool", "defaultValue": false },
            "name": { "type": "string", "defaultValue": "it''s" },
            "size": { "type": "int", "defaultValue": "[if(parameters('on'), 24, 8)]" }
          },
          "variables": { "roles": { "reader": "abc" }, "list": [ "x", "y" ] }
        }
        """)!.AsObject();

    private static object? Eval(string expression, bool on = false) =>
        new ArmScope(Template, new Dictionary<string, object?> { ["on"] = on }).Evaluate(JsonValue.Create(expression));

    [Theory]
    [InlineData("[and(parameters('on'), not(empty(parameters('name'))))]", true, true)]
    [InlineData("[and(parameters('on'), not(empty(parameters('name'))))]", false, false)]
    [InlineData("[or(parameters('on'), equals(variables('roles').reader, 'abc'))]", false, true)]
    public void Evaluate_BooleanCondition_FollowsTheParameters(string expression, bool on, bool expected)
    {
        Assert.Equal(expected, Eval(expression, on));
    }

    [Fact]
    public void Evaluate_DefaultValue_IsItselfEvaluated()
    {
        Assert.Equal(24L, Eval("[parameters('size')]", on: true));
        Assert.Equal(8L, Eval("[parameters('size')]", on: false));
    }

    [Fact]
    public void Evaluate_QuotedQuoteAndIndexing_AreUnderstood()
    {
        Assert.Equal("it's/y", Eval("[format('{0}/{1}', 'it''s', variables('list')[1])]"));
        Assert.Equal("[literal]", Eval("[[literal]"));
    }

    [Fact]
    public void Evaluate_RuntimeValue_IsUnknownAndSpreads()
    {
        Assert.Same(Unknown.Value, Eval("[reference('x').outputs.id.value]"));
        Assert.Same(Unknown.Value, Eval("[and(parameters('on'), empty(reference('x').name))]", on: true));
        Assert.Equal(false, Eval("[and(parameters('on'), empty(reference('x').name))]", on: false));
        Assert.Equal("st<?>", Eval("[format('st{0}', uniqueString('a'))]"));
    }

    [Fact]
    public void Evaluate_UnsupportedFunction_Throws()
    {
        Assert.Throws<NotSupportedException>(() => Eval("[lastIndexOf('abc', 'c')]"));
    }

    [Fact]
    public void Resources_WithAnUndecidableCondition_Throw()
    {
        var template = JsonNode.Parse("""
            { "resources": [ { "type": "A/b", "name": "n", "condition": "[empty(reference('x').id)]" } ] }
            """)!.AsObject();

        Assert.Throws<InvalidOperationException>(() => ArmDeployment.Resources(template, new Dictionary<string, object?>()));
    }
}
