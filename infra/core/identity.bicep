// The one user-assigned identity the Function app and the GPU worker run as.
// A user-assigned identity exists before the apps do, so its role assignments can be
// in place by the time the Functions host first starts.

param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
