using FocusFunctions.Infra.Tests.Arm;

namespace FocusFunctions.Infra.Tests;

public class RoleAssignmentTests
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string QueueMessageSender = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    private static IReadOnlyList<DeployedResource> Assignments(bool gpu, string principalId = "") =>
        MainTemplate.Deploy(gpu, ("principalId", principalId)).OfType("Microsoft.Authorization/roleAssignments");

    private static List<string> RoleIds(IEnumerable<DeployedResource> assignments) =>
        assignments.Select(a => ((string)a.Properties.At("roleDefinitionId")!).Split('/')[^1]).ToList();

    [Fact]
    public void AppIdentity_WithoutGpu_GetsStorageAndTelemetryDataRolesAndTheTopicItsDeadLetterWriter()
    {
        var roles = RoleIds(Assignments(gpu: false));

        Assert.Equal(
            new[] { BlobDataOwner, QueueDataContributor, TableDataContributor, MetricsPublisher, BlobDataContributor }.Order(),
            roles.Order());
    }

    [Fact]
    public void Identities_WithGpu_AlsoGetAcrPullAndQueueSender()
    {
        var roles = RoleIds(Assignments(gpu: true));

        Assert.Contains(AcrPull, roles);
        Assert.Contains(QueueMessageSender, roles);
        Assert.Equal(7, roles.Count);
    }

    [Fact]
    public void DeployingUser_WhenGiven_GetsContributorDataRolesOnly()
    {
        var userRoles = Assignments(gpu: false, principalId: "11111111-1111-1111-1111-111111111111")
            .Where(a => Equals(a.Properties.At("principalType"), "User"))
            .ToList();

        Assert.Equal(new[] { BlobDataContributor, QueueDataContributor, TableDataContributor }.Order(), RoleIds(userRoles).Order());
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
        Assert.DoesNotContain(roleId, RoleIds(Assignments(gpu: true, principalId: "11111111-1111-1111-1111-111111111111")));
    }
}
