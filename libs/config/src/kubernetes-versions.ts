/**
 * EKS Kubernetes versions in standard support (AWS's release calendar, checked 2026-12-06 against
 * https://endoflife.date/amazon-eks: 1.34's standard support ended 2026-12-02, so it left this
 * list): a new cluster on anything else is either already in paid extended support or not yet
 * available. Update with the calendar: https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 */
export const SUPPORTED_KUBERNETES_VERSIONS: Readonly<Record<string, string>> = {
  '1.35': 'standard support ends 2027-03-27',
  '1.36': 'standard support until mid-2027',
};

export const RECOMMENDED_KUBERNETES_VERSION = '1.35';
