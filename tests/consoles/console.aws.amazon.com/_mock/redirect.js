'use strict';
// console.aws.amazon.com sends global services such as IAM to a regional host, keeping the route.
location.replace('/us-east-1.console.aws.amazon.com/iam/home?region=us-east-1' + (location.hash || '#/home'));
