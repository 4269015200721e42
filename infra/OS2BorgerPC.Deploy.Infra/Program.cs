using OS2BorgerPC.Deploy.Infra;

return await Pulumi.Deployment.RunAsync<TenantStack>();
