using FocusFunctions.Infra.Tests.Arm;

namespace FocusFunctions.Infra.Tests;

/// <summary>
/// Least privilege, read from the compiled template: one identity per app and one for deployment packages, every app
/// role scoped to the container, queue or table it is for.
/// </summary>
public class RoleAssignmentTests
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string QueueMessageProcessor = "8a0f0c08-91a1-4084-bc3d-661d67233fed";
    private const string QueueMessageSender = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";
    private const string QueueDataReader = "19e7f393-937e-4f77-808e-94535e297925";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    private const string FunctionRoles = "main/rbac/function-storage-roles";
    private const string WorkerRoles = "main/rbac/gpuworker-storage-roles";
    private const string DeploymentRoles = "main/rbac/deployment-storage-roles";

    /// <summary>One role assignment: which module made it, the role, and the kind and name of what it is scoped to.</summary>
    private sealed record Grant(string Module, string RoleId, string ScopeKind, string ScopeName);

    private static IReadOnlyList<DeployedResource> Assignments(bool gpu, string principalId = "") =>
        MainTemplate.Deploy(gpu, ("principalId", principalId)).OfType("Microsoft.Authorization/roleAssignments");

    private static List<Grant> Grants(bool gpu, string principalId = "") => Assignments(gpu, principalId).Select(ToGrant).ToList();

    private static Grant ToGrant(DeployedResource assignment)
    {
        string roleId = ((string)assignment.Properties.At("roleDefinitionId")!).Split('/')[^1];
        string scope = assignment.Definition["scope"]!.GetValue<string>();
        // Bicep writes a scope as resourceId('<type>', account, ..., name); the last argument names the resource.
        var call = Assert.IsType<ArmExpression.Call>(ArmExpression.Parse(scope[1..^1]));
        Assert.Equal("resourceId", call.Name);
        string type = (string)call.Args[0].Evaluate(assignment.Scope)!;
        string name = call.Args[^1].Evaluate(assignment.Scope) as string ?? ArmFunctions.UnknownText;
        return new Grant(assignment.Module, roleId, type.Split('/')[^1], name);
    }

    private static List<(string RoleId, string ScopeKind, string ScopeName)> Of(IEnumerable<Grant> grants, string module) =>
        grants.Where(g => g.Module == module).Select(g => (g.RoleId, g.ScopeKind, g.ScopeName)).Order().ToList();

    [Fact]
    public void FunctionIdentity_Always_HoldsRolesOnlyOnWhatTheFunctionUses()
    {
        var expected = new[]
        {
            (BlobDataContributor, "containers", "tiles"),
            (BlobDataContributor, "containers", "rejected"),
            (BlobDataContributor, "containers", "quarantine"),
            (BlobDataOwner, "containers", "azure-webjobs-hosts"),
            (BlobDataOwner, "containers", "azure-webjobs-secrets"),
            (QueueDataContributor, "queues", "webjobs-blobtrigger-poison"),
            (TableDataContributor, "tables", "FocusResults"),
        };

        Assert.Equal(expected.Order(), Of(Grants(gpu: true), FunctionRoles));
    }

    [Fact]
    public void WorkerIdentity_WithGpu_ReceivesAndDeletesMessagesButCannotManageQueues()
    {
        var expected = new[]
        {
            (BlobDataContributor, "containers", "tiles"),
            (BlobDataContributor, "containers", "rejected"),
            (BlobDataContributor, "containers", "quarantine"),
            (QueueMessageProcessor, "queues", "tile-events"),
            (QueueDataReader, "queues", "tile-events"),
            (QueueMessageSender, "queues", "tile-events-poison"),
            (TableDataContributor, "tables", "FocusResults"),
        };

        Assert.Equal(expected.Order(), Of(Grants(gpu: true), WorkerRoles));
    }

    [Fact]
    public void WorkerIdentity_WithoutGpu_HasNoRoles()
    {
        Assert.Empty(Of(Grants(gpu: false), WorkerRoles));
        Assert.DoesNotContain(MainTemplate.Deploy(enableGpuWorker: false).OfType("Microsoft.ManagedIdentity/userAssignedIdentities"),
            i => ((string)i.Evaluate("name")!).Contains("gpuworker", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DeploymentContainer_InAnyVariant_OnlyTheDeploymentIdentityCanWriteIt(bool gpu)
    {
        var grants = Grants(gpu, principalId: "11111111-1111-1111-1111-111111111111");

        Assert.Equal([(BlobDataContributor, "containers", "app-package")], Of(grants, DeploymentRoles));
        Assert.All(grants.Where(g => g.ScopeName == "app-package"), g => Assert.Equal(DeploymentRoles, g.Module));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AppIdentities_InAnyVariant_HoldNoRoleOnTheWholeAccount(bool gpu)
    {
        var accountWide = Assignments(gpu, principalId: "11111111-1111-1111-1111-111111111111")
            .Where(a => ToGrant(a).ScopeKind == "storageAccounts")
            .ToList();

        // Only the person running azd, when given, holds account-wide data roles.
        Assert.All(accountWide, a => Assert.Equal("User", a.Properties.At("principalType")));
    }

    [Fact]
    public void Identities_WithGpu_AreThreeAndEachAppRunsAsItsOwn()
    {
        var main = MainTemplate.Json["resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        string Parameter(string module, string name) =>
            main.Single(r => r["name"]?.GetValue<string>() == module)["properties"]!["parameters"]![name]!["value"]!.GetValue<string>();

        var identities = MainTemplate.Deploy(enableGpuWorker: true).OfType("Microsoft.ManagedIdentity/userAssignedIdentities");

        Assert.Equal(3, identities.Select(i => (string)i.Evaluate("name")!).Distinct().Count());
        Assert.Contains("'identity'", Parameter("processor", "identityId"), StringComparison.Ordinal);
        Assert.Contains("'identity'", Parameter("rbac", "functionPrincipalId"), StringComparison.Ordinal);
        Assert.Contains("'deployment-identity'", Parameter("processor", "deploymentIdentityId"), StringComparison.Ordinal);
        Assert.Contains("'deployment-identity'", Parameter("rbac", "deploymentPrincipalId"), StringComparison.Ordinal);
        Assert.Contains("'gpuworker-identity'", Parameter("gpuworker", "identityId"), StringComparison.Ordinal);
        Assert.Contains("'gpuworker-identity'", Parameter("gpuworker", "identityPrincipalId"), StringComparison.Ordinal);
        Assert.Contains("'gpuworker-identity'", Parameter("rbac", "workerPrincipalId"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void Telemetry_EachAppIdentity_PublishesMetrics(bool gpu, int apps)
    {
        Assert.Equal(apps, Grants(gpu).Count(g => g.RoleId == MetricsPublisher));
    }

    [Fact]
    public void Identities_WithGpu_AlsoGetAcrPullAndTheTopicQueueSender()
    {
        var grants = Grants(gpu: true);

        Assert.Single(grants, g => g.RoleId == AcrPull);
        Assert.Single(grants, g => g.RoleId == QueueMessageSender && g.ScopeName == "tile-events");
    }

    [Fact]
    public void DeployingUser_WhenGiven_GetsContributorDataRolesOnly()
    {
        var userRoles = Assignments(gpu: false, principalId: "11111111-1111-1111-1111-111111111111")
            .Where(a => Equals(a.Properties.At("principalType"), "User"))
            .ToList();

        Assert.Equal(new[] { BlobDataContributor, QueueDataContributor, TableDataContributor }.Order(), userRoles.Select(a => ToGrant(a).RoleId).Order());
        Assert.All(userRoles, a => Assert.Equal("11111111-1111-1111-1111-111111111111", a.Properties.At("principalId")));
    }

    [Fact]
    public void DeployingUser_WhenEmpty_GetsNothing()
    {
        Assert.DoesNotContain(Assignments(gpu: true), a => Equals(a.Properties.At("principalType"), "User"));
    }

    [Fact]
    public void Names_Always_AreGuidsOfScopePrincipalAndRole()
    {
        Assert.All(Assignments(gpu: true, principalId: "11111111-1111-1111-1111-111111111111"), a =>
        {
            var name = a.Definition["name"]!.GetValue<string>();
            var call = Assert.IsType<ArmExpression.Call>(ArmExpression.Parse(name[1..^1]));
            Assert.Equal("guid", call.Name);
            Assert.Equal(3, call.Args.Count);
        });
    }

    [Theory]
    [InlineData("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")] // Owner
    [InlineData("b24988ac-6180-42a0-ab88-20f7382dd24c")] // Contributor
    [InlineData("17d1049b-9a84-46fb-8f53-869881c3d3ab")] // Storage Account Contributor (can read keys)
    public void Assignments_InAnyVariant_NeverGrantAManagementPlaneRole(string roleId)
    {
        Assert.DoesNotContain(roleId, Grants(gpu: true, principalId: "11111111-1111-1111-1111-111111111111").Select(g => g.RoleId));
    }
}
