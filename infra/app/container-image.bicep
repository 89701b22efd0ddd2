// Reads the image an existing container app runs, so that re-provisioning keeps the
// image azd deployed instead of resetting it to the placeholder.

param appName string

resource app 'Microsoft.App/containerApps@2025-01-01' existing = {
  name: appName
}

output image string = app.properties.template.containers[0].image
