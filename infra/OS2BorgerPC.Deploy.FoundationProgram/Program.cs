using OS2BorgerPC.Deploy.FoundationProgram;

return await Pulumi.Deployment.RunAsync<FoundationStack>();
