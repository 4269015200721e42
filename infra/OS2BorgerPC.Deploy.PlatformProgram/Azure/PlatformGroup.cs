using Pulumi;

namespace OS2BorgerPC.Deploy.PlatformProgram.Azure;

/// <summary>
/// The platform's resource group: the foundation makes it (an operator), the platform program fills it and only names it
/// (its identity holds no right to make or delete a group).
/// </summary>
/// <param name="Name">The group's name (<see cref="PlatformDecisions.Naming.PlatformNames.ResourceGroup"/>).</param>
/// <param name="Id">Its ARM ID, <c>/subscriptions/&lt;id&gt;/resourceGroups/&lt;name&gt;</c>.</param>
public sealed record PlatformGroup(Input<string> Name, Output<string> Id);
