#!/usr/bin/env bash
# restore-drill.yml on an Azure Blob platform (fleet drill --access printed drillFrom): a workload identity cannot be
# lent, so the drill tenant reads the drilled tenant's backups as a drill-reader identity of its own, which exists only
# while its stack names that tenant in backup.drillFrom (RestoreJob.SourceOf; the tenant program's AzureDrillReader makes
# it in the drill tenant's group with Storage Blob Data Reader on that tenant's container, nothing more, federated only
# with the ServiceAccount the restore Jobs run as, RestoreJob.ServiceAccountOf). Least privilege in time:
#   grant:  backup.drillFrom set to the tenant in this run's working copy only (never committed), 'pulumi up' of the
#           drill stack, then the role's propagation: Azure RBAC names up to 10 minutes before a data-plane read is
#           allowed (learn.microsoft.com/azure/role-based-access-control/troubleshooting; RbacPropagation). The drill
#           identity cannot be signed in from here to poll, so the wait is the documented time.
#   revoke: the committed stack file again and 'pulumi up' of the drill stack: the drill identity, its federated
#           credential and the ServiceAccount are deleted, and the access with them. The role itself is only forgotten
#           (retainOnDelete): the backup account's CanNotDelete lock refuses deleting a role assignment under it, so it
#           stays, naming a deleted principal, until the operator's yearly clean-up. A token issued before the revoke
#           stays valid until it expires.
# Runs as the production identity, which may create these blob roles in the backup account
# (CiIdentities.TenantAssignmentCondition) and the identity in the drill tenant's group (Contributor there).
# Needs PULUMI_BACKEND_URL and the stack's secrets provider's access.
#
# Usage: drill-access.sh grant <drill tenant> <tenant> | drill-access.sh revoke <drill tenant>
set -euo pipefail

operation=$1
drill=$2
stack_file="stacks/Pulumi.$drill.yaml"
propagation_seconds=600

pulumi login --non-interactive "$PULUMI_BACKEND_URL"
case "$operation" in
    grant)
        tenant=$3
        pulumi config set --path "os2borgerpc:tenant.backup.drillFrom" "$tenant" --stack "$drill" --non-interactive
        pulumi up --yes --non-interactive --diff --stack "$drill"
        echo "Waiting ${propagation_seconds}s for the drill tenant's read role on $tenant's container to propagate."
        sleep "$propagation_seconds"
        ;;
    revoke)
        git checkout -- "$stack_file"
        pulumi up --yes --non-interactive --diff --stack "$drill"
        ;;
    *)
        echo "::error::drill-access.sh: '$operation' is neither grant nor revoke." >&2
        exit 1
        ;;
esac
