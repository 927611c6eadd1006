using Hangfire;
using Hangfire.Dashboard;

namespace Estimator.Host.Dashboard;

/// <summary>
/// Adds this host's pieces to Hangfire's dashboard: the Models page (routes and navigation menu) and the progress
/// section of the job details page. Hangfire keeps them process-wide, so this runs once per process whatever the number
/// of hosts.
/// </summary>
internal static class ModelsDashboard
{
    private static readonly Lock Gate = new();
    private static bool registered;

    public static void Register()
    {
        lock (Gate)
        {
            if (registered)
            {
                return;
            }

            DashboardRoutes.Routes.AddRazorPage(ModelsPage.Route, _ => new ModelsPage());
            NavigationMenu.Items.Add(page => new MenuItem("Models", page.Url.To(ModelsPage.Route))
            {
                Active = page.RequestPath.StartsWith(ModelsPage.Route, StringComparison.Ordinal),
            });
            GlobalConfiguration.Configuration.UseJobDetailsRenderer(50, dto => new NonEscapedString(JobProgressRenderer.Render(dto.JobDetails?.Properties)));
            registered = true;
        }
    }
}
