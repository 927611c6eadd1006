using Hangfire.Dashboard;

namespace Estimator.Host.Dashboard;

/// <summary>Adds the Models page to Hangfire's dashboard routes and navigation menu (global in Hangfire; done once per process).</summary>
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
            registered = true;
        }
    }
}
