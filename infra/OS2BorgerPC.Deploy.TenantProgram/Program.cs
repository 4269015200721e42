using OS2BorgerPC.Deploy.TenantProgram;

return await Pulumi.Deployment.RunAsync<TenantStack>();
