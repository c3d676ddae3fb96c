# fish completion for poscust
# Generated from the poscust command tree by scripts/gen-completions.mjs (npm run completions);
# do not edit. `poscust completion --help` says how to install it.

function __poscust_child --argument-names cmdpath word
    switch "$cmdpath|$word"
        case '|list'
            echo 'list'
        case '|count'
            echo 'count'
        case '|get'
            echo 'get'
        case '|create'
            echo 'create'
        case '|update-by'
            echo 'update-by'
        case '|delete'
            echo 'delete'
        case '|suspend'
            echo 'suspend'
        case '|unsuspend'
            echo 'unsuspend'
        case '|merge'
            echo 'merge'
        case '|new-code'
            echo 'new-code'
        case '|pin'
            echo 'pin'
        case '|verify'
            echo 'verify'
        case '|app-signin'
            echo 'app-signin'
        case '|profile'
            echo 'profile'
        case '|doctor'
            echo 'doctor'
        case '|sandbox'
            echo 'sandbox'
        case '|import'
            echo 'import'
        case '|export'
            echo 'export'
        case '|apply'
            echo 'apply'
        case '|history'
            echo 'history'
        case '|undo'
            echo 'undo'
        case '|duplicates'
            echo 'duplicates'
        case '|migrate'
            echo 'migrate'
        case '|completion'
            echo 'completion'
        case '|help'
            echo 'help'
        case 'pin|set'
            echo 'pin set'
        case 'pin|check'
            echo 'pin check'
        case 'profile|add'
            echo 'profile add'
        case 'profile|list'
            echo 'profile list'
        case 'profile|show'
            echo 'profile show'
        case 'profile|use'
            echo 'profile use'
        case 'profile|remove' 'profile|rm'
            echo 'profile remove'
        case 'history|show'
            echo 'history show'
        case 'history|prune'
            echo 'history prune'
        case '*'
            return 1
    end
end

function __poscust_takes_value --argument-names cmdpath opt
    switch $opt
        case --profile --format --fields --profiles --parallel --timeout
            return 0
        case --json --verbose -q --quiet --no-color -y --yes --all-profiles --allow-insecure-http --insecure-tls -h --help
            return 1
    end
    switch "$cmdpath|$opt"
        case 'list|--name' 'list|--outlet' 'list|--from' 'list|--to' 'list|--search' 'list|--filter' 'list|--external-id' 'list|--card' 'list|--sort' 'list|--changed-since' 'list|--changed-until' 'list|--page' 'list|--page-size'
            return 0
        case 'count|--name' 'count|--outlet' 'count|--from' 'count|--to' 'count|--search' 'count|--filter' 'count|--external-id' 'count|--card' 'count|--sort' 'count|--changed-since' 'count|--changed-until'
            return 0
        case 'get|--id' 'get|--code' 'get|--email' 'get|--mobile'
            return 0
        case 'create|--name' 'create|--first-name' 'create|--last-name' 'create|--email' 'create|--mobile' 'create|--phone' 'create|--code' 'create|--group' 'create|--birthdate' 'create|--address' 'create|--gender' 'create|--loyalty-point' 'create|--outlet' 'create|--note' 'create|--active' 'create|--set' 'create|--from-json'
            return 0
        case 'update-by|--name' 'update-by|--first-name' 'update-by|--last-name' 'update-by|--email' 'update-by|--mobile' 'update-by|--phone' 'update-by|--code' 'update-by|--group' 'update-by|--birthdate' 'update-by|--address' 'update-by|--gender' 'update-by|--loyalty-point' 'update-by|--outlet' 'update-by|--note' 'update-by|--active' 'update-by|--set' 'update-by|--from-json'
            return 0
        case 'delete|--id' 'delete|--code' 'delete|--email'
            return 0
        case 'suspend|--id' 'suspend|--code' 'suspend|--email' 'suspend|--phone'
            return 0
        case 'unsuspend|--id' 'unsuspend|--code' 'unsuspend|--email' 'unsuspend|--phone'
            return 0
        case 'merge|--into' 'merge|--plan'
            return 0
        case 'pin set|--id' 'pin set|--code'
            return 0
        case 'pin check|--id' 'pin check|--code'
            return 0
        case 'verify|--id' 'verify|--code'
            return 0
        case 'app-signin|--id' 'app-signin|--code'
            return 0
        case 'profile add|--backend' 'profile add|--base-url' 'profile add|--client-id' 'profile add|--username' 'profile add|--device-name' 'profile add|--region' 'profile add|--keep-history'
            return 0
        case 'sandbox|--backend' 'sandbox|--port' 'sandbox|--host' 'sandbox|--data' 'sandbox|--seed' 'sandbox|--quota' 'sandbox|--window' 'sandbox|--latency' 'sandbox|--faults' 'sandbox|--fault-kinds' 'sandbox|--slow' 'sandbox|--random-seed' 'sandbox|--token-ttl' 'sandbox|--token-limit' 'sandbox|--dialect'
            return 0
        case 'import|--mode' 'import|--key' 'import|--map' 'import|--delimiter' 'import|--encoding' 'import|--sheet' 'import|--date-format' 'import|--clear-value' 'import|--phone-format' 'import|--save-plan' 'import|--concurrency' 'import|--rate' 'import|--rejects' 'import|--report' 'import|--journal'
            return 0
        case 'export|--name' 'export|--outlet' 'export|--from' 'export|--to' 'export|--search' 'export|--filter' 'export|--external-id' 'export|--card' 'export|--sort' 'export|--changed-since' 'export|--changed-until' 'export|--output' 'export|--since' 'export|--state'
            return 0
        case 'apply|--concurrency' 'apply|--rate' 'apply|--rejects' 'apply|--report' 'apply|--journal'
            return 0
        case 'history|--limit'
            return 0
        case 'duplicates|--by' 'duplicates|--keep' 'duplicates|--max-group' 'duplicates|--save-plan'
            return 0
        case 'migrate|--from' 'migrate|--to' 'migrate|--map' 'migrate|--id-map' 'migrate|--rejects' 'migrate|--concurrency' 'migrate|--rate'
            return 0
    end
    return 1
end

# Walks the tokens before the cursor: the command path and the number of positional arguments.
function __poscust_scan
    set -l line (commandline -cp)
    test "$line" = "$__poscust_scanned"; and return
    set -g __poscust_scanned $line
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l cmdpath ''
    set -l child
    set -l npos 0
    set -l skip 0
    set -l dashdash 0
    for w in $tokens
        if test $skip = 1
            set skip 0
        else if test $dashdash = 1
            set npos (math $npos + 1)
        else if test "$w" = '--'
            set dashdash 1
        else if string match -qr -- '^-.' $w
            if not string match -q -- '*=*' $w; and __poscust_takes_value "$cmdpath" $w
                set skip 1
            end
        else if test $npos = 0; and set child (__poscust_child "$cmdpath" $w)
            set cmdpath $child
        else
            set npos (math $npos + 1)
        end
    end
    set -g __poscust_path $cmdpath
    set -g __poscust_npos $npos
end

# In the command $argv[1] (its options apply).
function __poscust_in
    __poscust_scan
    test "$__poscust_path" = "$argv[1]"
end

# In the command $argv[1], before any positional argument (its subcommands apply).
function __poscust_at
    __poscust_scan
    test "$__poscust_path" = "$argv[1]"; and test $__poscust_npos = 0
end

# At positional argument $argv[2] of the command $argv[1]; "N+" means N or later.
function __poscust_arg
    __poscust_scan
    test "$__poscust_path" = "$argv[1]"; or return 1
    if string match -q -- '*+' $argv[2]
        test $__poscust_npos -ge (string trim -r -c + -- $argv[2])
    else
        test $__poscust_npos = $argv[2]
    end
end

# Profile names come from the profile store when Tab is pressed; the helper prints nothing but names.
function __poscust_profiles
    poscust __complete profiles 2>/dev/null
end

# No file names unless an argument or option asks for them.
complete -c poscust -f

# Global options, valid after any command.
complete -c poscust -l profile -r -f -a '(__poscust_profiles)' -d 'profile to use (default: POSCUST_PROFILE, else the default profile)'
complete -c poscust -l format -r -f -a 'table json ndjson csv' -d 'output format'
complete -c poscust -l json -d 'same as --format json'
complete -c poscust -l fields -r -f -d 'columns (table, csv) or keys (json, ndjson), comma-separated'
complete -c poscust -l verbose -d 'log each HTTP exchange on stderr, secrets redacted'
complete -c poscust -s q -l quiet -d 'no progress, notices or warnings on stderr'
complete -c poscust -l no-color -d 'no colour (also NO_COLOR=1)'
complete -c poscust -s y -l yes -d 'answer yes to confirmations (needed without a terminal)'
complete -c poscust -l profiles -r -f -d 'run the command once per profile (records gain _profile; the exit code is the first failing profile\'s)'
complete -c poscust -l all-profiles -d 'run the command once per stored profile'
complete -c poscust -l parallel -r -f -d 'with --profiles/--all-profiles: profiles at once (default 4)'
complete -c poscust -l timeout -r -f -d 'per-request timeout'
complete -c poscust -l allow-insecure-http -d 'allow plain http:// to a host that is not this machine'
complete -c poscust -l insecure-tls -d 'DANGEROUS: accept a TLS certificate that does not verify (anyone on the path can read the credentials)'
complete -c poscust -s h -l help -d 'show help for a command'

# poscust
complete -c poscust -n '__poscust_in \'\'' -s V -l version -d 'print the version'
complete -c poscust -n '__poscust_at \'\'' -f -a 'list' -d 'list customers'
complete -c poscust -n '__poscust_at \'\'' -f -a 'count' -d 'count customers'
complete -c poscust -n '__poscust_at \'\'' -f -a 'get' -d 'show one customer, or several'
complete -c poscust -n '__poscust_at \'\'' -f -a 'create' -d 'create a customer'
complete -c poscust -n '__poscust_at \'\'' -f -a 'update-by' -d 'change fields of one customer'
complete -c poscust -n '__poscust_at \'\'' -f -a 'delete' -d 'delete a customer'
complete -c poscust -n '__poscust_at \'\'' -f -a 'suspend' -d 'suspend a customer (keeps the record)'
complete -c poscust -n '__poscust_at \'\'' -f -a 'unsuspend' -d 'make a suspended customer active again'
complete -c poscust -n '__poscust_at \'\'' -f -a 'merge' -d 'merge duplicate customers into one'
complete -c poscust -n '__poscust_at \'\'' -f -a 'new-code' -d 'print the next customer code'
complete -c poscust -n '__poscust_at \'\'' -f -a 'pin' -d 'set or check a customer\'s PIN'
complete -c poscust -n '__poscust_at \'\'' -f -a 'verify' -d 'mark a customer\'s e-mail or mobile as verified'
complete -c poscust -n '__poscust_at \'\'' -f -a 'app-signin' -d 'record a sign-in to the shop\'s customer app'
complete -c poscust -n '__poscust_at \'\'' -f -a 'profile' -d 'store and choose shop connections'
complete -c poscust -n '__poscust_at \'\'' -f -a 'doctor' -d 'check the profile end to end'
complete -c poscust -n '__poscust_at \'\'' -f -a 'sandbox' -d 'run a local emulator of the vendor APIs'
complete -c poscust -n '__poscust_at \'\'' -f -a 'import' -d 'create or update customers from a CSV file or an Excel workbook'
complete -c poscust -n '__poscust_at \'\'' -f -a 'export' -d 'write every customer as CSV or an Excel workbook, importable as is'
complete -c poscust -n '__poscust_at \'\'' -f -a 'apply' -d 'make exactly the changes of a saved plan (import --save-plan)'
complete -c poscust -n '__poscust_at \'\'' -f -a 'history' -d 'the jobs poscust ran against this profile, and what each changed'
complete -c poscust -n '__poscust_at \'\'' -f -a 'undo' -d 'put back what a job changed'
complete -c poscust -n '__poscust_at \'\'' -f -a 'duplicates' -d 'find customers who are the same person, and plan their merge'
complete -c poscust -n '__poscust_at \'\'' -f -a 'migrate' -d 'move every customer from one shop\'s POS to another\'s'
complete -c poscust -n '__poscust_at \'\'' -f -a 'completion' -d 'print the shell completion script'
complete -c poscust -n '__poscust_at \'\'' -f -a 'help' -d 'show help for a command, or a topic'

# poscust list
complete -c poscust -n '__poscust_in \'list\'' -l name -r -f -d 'name contains, case-insensitive (DealPOS)'
complete -c poscust -n '__poscust_in \'list\'' -l outlet -r -f -d 'sign-up outlet (DealPOS)'
complete -c poscust -n '__poscust_in \'list\'' -l from -r -f -d 'joined on or after, yyyy-MM-dd (DealPOS)'
complete -c poscust -n '__poscust_in \'list\'' -l to -r -f -d 'joined on or before, yyyy-MM-dd (DealPOS)'
complete -c poscust -n '__poscust_in \'list\'' -l search -r -f -d 'name, company or note contains (PORTOS)'
complete -c poscust -n '__poscust_in \'list\'' -l filter -r -f -d 'NData filter, repeatable, e.g. \'DiscountRate=gt:10;lt:50\' (PORTOS)'
complete -c poscust -n '__poscust_in \'list\'' -l active -d 'active customers only (PORTOS)'
complete -c poscust -n '__poscust_in \'list\'' -l external-id -r -f -d 'by external id (PORTOS)'
complete -c poscust -n '__poscust_in \'list\'' -l card -r -f -d 'by card serial number (PORTOS)'
complete -c poscust -n '__poscust_in \'list\'' -l sort -r -f -d 'sort order (MYPOS, PORTOS)'
complete -c poscust -n '__poscust_in \'list\'' -l changed-since -r -f -d 'changed at or after, UTC (MYPOS)'
complete -c poscust -n '__poscust_in \'list\'' -l changed-until -r -f -d 'changed at or before, UTC (MYPOS)'
complete -c poscust -n '__poscust_in \'list\'' -l page -r -f -d 'page number, from 1'
complete -c poscust -n '__poscust_in \'list\'' -l page-size -r -f -d 'customers per page (default: the server default; up to the server maximum)'
complete -c poscust -n '__poscust_in \'list\'' -l all -d 'every page, written as each arrives (constant memory)'

# poscust count
complete -c poscust -n '__poscust_in \'count\'' -l name -r -f -d 'name contains, case-insensitive (DealPOS)'
complete -c poscust -n '__poscust_in \'count\'' -l outlet -r -f -d 'sign-up outlet (DealPOS)'
complete -c poscust -n '__poscust_in \'count\'' -l from -r -f -d 'joined on or after, yyyy-MM-dd (DealPOS)'
complete -c poscust -n '__poscust_in \'count\'' -l to -r -f -d 'joined on or before, yyyy-MM-dd (DealPOS)'
complete -c poscust -n '__poscust_in \'count\'' -l search -r -f -d 'name, company or note contains (PORTOS)'
complete -c poscust -n '__poscust_in \'count\'' -l filter -r -f -d 'NData filter, repeatable, e.g. \'DiscountRate=gt:10;lt:50\' (PORTOS)'
complete -c poscust -n '__poscust_in \'count\'' -l active -d 'active customers only (PORTOS)'
complete -c poscust -n '__poscust_in \'count\'' -l external-id -r -f -d 'by external id (PORTOS)'
complete -c poscust -n '__poscust_in \'count\'' -l card -r -f -d 'by card serial number (PORTOS)'
complete -c poscust -n '__poscust_in \'count\'' -l sort -r -f -d 'sort order (MYPOS, PORTOS)'
complete -c poscust -n '__poscust_in \'count\'' -l changed-since -r -f -d 'changed at or after, UTC (MYPOS)'
complete -c poscust -n '__poscust_in \'count\'' -l changed-until -r -f -d 'changed at or before, UTC (MYPOS)'

# poscust get
complete -c poscust -n '__poscust_in \'get\'' -l id -r -f -d 'customer ID; repeat or list several'
complete -c poscust -n '__poscust_in \'get\'' -l code -r -f -d 'customer code; repeatable'
complete -c poscust -n '__poscust_in \'get\'' -l email -r -f -d 'e-mail address; repeatable'
complete -c poscust -n '__poscust_in \'get\'' -l mobile -r -f -d 'mobile number; repeatable'

# poscust create
complete -c poscust -n '__poscust_in \'create\'' -l name -r -f -d 'full name'
complete -c poscust -n '__poscust_in \'create\'' -l first-name -r -f -d 'first name'
complete -c poscust -n '__poscust_in \'create\'' -l last-name -r -f -d 'last name'
complete -c poscust -n '__poscust_in \'create\'' -l email -r -f -d 'e-mail address'
complete -c poscust -n '__poscust_in \'create\'' -l mobile -r -f -d 'mobile number'
complete -c poscust -n '__poscust_in \'create\'' -l phone -r -f -d 'phone number'
complete -c poscust -n '__poscust_in \'create\'' -l code -r -f -d 'customer code'
complete -c poscust -n '__poscust_in \'create\'' -l group -r -f -d 'customer group'
complete -c poscust -n '__poscust_in \'create\'' -l birthdate -r -f -d 'date of birth'
complete -c poscust -n '__poscust_in \'create\'' -l address -r -f -d 'address'
complete -c poscust -n '__poscust_in \'create\'' -l gender -r -f -d 'gender, as the backend stores it (DealPOS: true or false)'
complete -c poscust -n '__poscust_in \'create\'' -l loyalty-point -r -f -d 'loyalty points'
complete -c poscust -n '__poscust_in \'create\'' -l outlet -r -f -d 'sign-up outlet'
complete -c poscust -n '__poscust_in \'create\'' -l note -r -f -d 'note (MYPOS, PORTOS)'
complete -c poscust -n '__poscust_in \'create\'' -l active -r -f -d 'active flag (MYPOS, PORTOS)'
complete -c poscust -n '__poscust_in \'create\'' -l set -r -f -d 'any writable native field (name matched case-insensitively); repeatable; an empty value clears it'
complete -c poscust -n '__poscust_in \'create\'' -l from-json -r -F -d 'fields from a JSON object in a file, or stdin with -; options on the command line win'

# poscust update-by
complete -c poscust -n '__poscust_in \'update-by\'' -l name -r -f -d 'full name'
complete -c poscust -n '__poscust_in \'update-by\'' -l first-name -r -f -d 'first name'
complete -c poscust -n '__poscust_in \'update-by\'' -l last-name -r -f -d 'last name'
complete -c poscust -n '__poscust_in \'update-by\'' -l email -r -f -d 'e-mail address'
complete -c poscust -n '__poscust_in \'update-by\'' -l mobile -r -f -d 'mobile number'
complete -c poscust -n '__poscust_in \'update-by\'' -l phone -r -f -d 'phone number'
complete -c poscust -n '__poscust_in \'update-by\'' -l code -r -f -d 'customer code'
complete -c poscust -n '__poscust_in \'update-by\'' -l group -r -f -d 'customer group'
complete -c poscust -n '__poscust_in \'update-by\'' -l birthdate -r -f -d 'date of birth'
complete -c poscust -n '__poscust_in \'update-by\'' -l address -r -f -d 'address'
complete -c poscust -n '__poscust_in \'update-by\'' -l gender -r -f -d 'gender, as the backend stores it (DealPOS: true or false)'
complete -c poscust -n '__poscust_in \'update-by\'' -l loyalty-point -r -f -d 'loyalty points'
complete -c poscust -n '__poscust_in \'update-by\'' -l outlet -r -f -d 'sign-up outlet'
complete -c poscust -n '__poscust_in \'update-by\'' -l note -r -f -d 'note (MYPOS, PORTOS)'
complete -c poscust -n '__poscust_in \'update-by\'' -l active -r -f -d 'active flag (MYPOS, PORTOS)'
complete -c poscust -n '__poscust_in \'update-by\'' -l set -r -f -d 'any writable native field (name matched case-insensitively); repeatable; an empty value clears it'
complete -c poscust -n '__poscust_in \'update-by\'' -l from-json -r -F -d 'fields from a JSON object in a file, or stdin with -; options on the command line win'
complete -c poscust -n '__poscust_in \'update-by\'' -l dry-run -d 'print the request instead of sending it'
complete -c poscust -n '__poscust_arg \'update-by\' 0' -f -a 'id code email mobile'

# poscust delete
complete -c poscust -n '__poscust_in \'delete\'' -l id -r -f -d 'by the customer ID'
complete -c poscust -n '__poscust_in \'delete\'' -l code -r -f -d 'by the customer code'
complete -c poscust -n '__poscust_in \'delete\'' -l email -r -f -d 'by the e-mail address'

# poscust suspend
complete -c poscust -n '__poscust_in \'suspend\'' -l id -r -f -d 'by the customer ID'
complete -c poscust -n '__poscust_in \'suspend\'' -l code -r -f -d 'by the customer code'
complete -c poscust -n '__poscust_in \'suspend\'' -l email -r -f -d 'by the e-mail address'
complete -c poscust -n '__poscust_in \'suspend\'' -l phone -r -f -d 'by the phone number'

# poscust unsuspend
complete -c poscust -n '__poscust_in \'unsuspend\'' -l id -r -f -d 'by the customer ID'
complete -c poscust -n '__poscust_in \'unsuspend\'' -l code -r -f -d 'by the customer code'
complete -c poscust -n '__poscust_in \'unsuspend\'' -l email -r -f -d 'by the e-mail address'
complete -c poscust -n '__poscust_in \'unsuspend\'' -l phone -r -f -d 'by the phone number'

# poscust merge
complete -c poscust -n '__poscust_in \'merge\'' -l into -r -f -d 'the customer that stays (an ID with --by-id)'
complete -c poscust -n '__poscust_in \'merge\'' -l by-id -d 'the values are customer IDs, not codes'
complete -c poscust -n '__poscust_in \'merge\'' -l plan -r -f -d 'merge every group of a plan saved by poscust duplicates --save-plan'
complete -c poscust -n '__poscust_in \'merge\'' -l suspend-others -d 'with --plan: make every customer but the survivor inactive instead of merging (MYPOS, PORTOS)'
complete -c poscust -n '__poscust_in \'merge\'' -l fill-gaps -d 'with --suspend-others: first copy to the survivor the fields it lacks'

# poscust new-code

# poscust pin
complete -c poscust -n '__poscust_at \'pin\'' -f -a 'set' -d 'set a customer\'s PIN'
complete -c poscust -n '__poscust_at \'pin\'' -f -a 'check' -d 'check a PIN (exit 0 valid, 8 rejected)'

# poscust pin set
complete -c poscust -n '__poscust_in \'pin set\'' -l id -r -f -d 'by the customer ID'
complete -c poscust -n '__poscust_in \'pin set\'' -l code -r -f -d 'by the customer code'
complete -c poscust -n '__poscust_in \'pin set\'' -l pin-stdin -d 'read the PIN from stdin instead of a hidden prompt'

# poscust pin check
complete -c poscust -n '__poscust_in \'pin check\'' -l id -r -f -d 'by the customer ID'
complete -c poscust -n '__poscust_in \'pin check\'' -l code -r -f -d 'by the customer code'
complete -c poscust -n '__poscust_in \'pin check\'' -l pin-stdin -d 'read the PIN from stdin instead of a hidden prompt'

# poscust verify
complete -c poscust -n '__poscust_in \'verify\'' -l id -r -f -d 'by the customer ID'
complete -c poscust -n '__poscust_in \'verify\'' -l code -r -f -d 'by the customer code'
complete -c poscust -n '__poscust_in \'verify\'' -l unverify -d 'clear the verified mark instead'
complete -c poscust -n '__poscust_arg \'verify\' 0' -f -a 'email mobile'

# poscust app-signin
complete -c poscust -n '__poscust_in \'app-signin\'' -l id -r -f -d 'by the customer ID'
complete -c poscust -n '__poscust_in \'app-signin\'' -l code -r -f -d 'by the customer code'

# poscust profile
complete -c poscust -n '__poscust_at \'profile\'' -f -a 'add' -d 'store a profile'
complete -c poscust -n '__poscust_at \'profile\'' -f -a 'list' -d 'list profiles'
complete -c poscust -n '__poscust_at \'profile\'' -f -a 'show' -d 'show a profile, secrets masked'
complete -c poscust -n '__poscust_at \'profile\'' -f -a 'use' -d 'make a profile the default'
complete -c poscust -n '__poscust_at \'profile\'' -f -a 'remove' -d 'delete a profile and its cached token'

# poscust profile add
complete -c poscust -n '__poscust_in \'profile add\'' -l backend -r -f -a 'dealpos mypos portos' -d 'point-of-sale backend'
complete -c poscust -n '__poscust_in \'profile add\'' -l base-url -r -f -d 'API base URL (DealPOS also takes the shop subdomain)'
complete -c poscust -n '__poscust_in \'profile add\'' -l client-id -r -f -d 'DealPOS OAuth2 client id'
complete -c poscust -n '__poscust_in \'profile add\'' -l client-secret-stdin -d 'read the DealPOS client secret from stdin'
complete -c poscust -n '__poscust_in \'profile add\'' -l username -r -f -d 'MYPOS API user e-mail / PORTOS user name'
complete -c poscust -n '__poscust_in \'profile add\'' -l password-stdin -d 'read the MYPOS or PORTOS password from stdin'
complete -c poscust -n '__poscust_in \'profile add\'' -l device-name -r -f -d 'PORTOS device name'
complete -c poscust -n '__poscust_in \'profile add\'' -l region -r -f -d 'the shop\'s country, ISO 3166 alpha-2 (ID, SK, GB…): how phone numbers without + are read (default: ID on DealPOS, SK on PORTOS)'
complete -c poscust -n '__poscust_in \'profile add\'' -l keep-history -r -f -d 'days to keep the history of this profile\'s jobs (default 90; it holds customers\' personal data)'
complete -c poscust -n '__poscust_in \'profile add\'' -l default -d 'make it the default profile (the first profile always is)'
complete -c poscust -n '__poscust_in \'profile add\'' -l force -d 'replace an existing profile of that name'
complete -c poscust -n '__poscust_in \'profile add\'' -l check -d 'log in and read one customer before saving (done anyway when anything was asked)'
complete -c poscust -n '__poscust_in \'profile add\'' -l no-check -d 'save without checking the credentials'

# poscust profile list

# poscust profile show
complete -c poscust -n '__poscust_arg \'profile show\' 0' -f -a '(__poscust_profiles)'

# poscust profile use
complete -c poscust -n '__poscust_arg \'profile use\' 0' -f -a '(__poscust_profiles)'

# poscust profile remove
complete -c poscust -n '__poscust_arg \'profile remove\' 0' -f -a '(__poscust_profiles)'

# poscust doctor

# poscust sandbox
complete -c poscust -n '__poscust_in \'sandbox\'' -l backend -r -f -a 'dealpos mypos portos' -d 'vendor API to emulate'
complete -c poscust -n '__poscust_in \'sandbox\'' -l port -r -f -d 'port to listen on; 0 picks a free one (printed)'
complete -c poscust -n '__poscust_in \'sandbox\'' -l host -r -f -d 'interface to listen on'
complete -c poscust -n '__poscust_in \'sandbox\'' -l data -r -F -d 'keep the state in this file across restarts (loaded if present)'
complete -c poscust -n '__poscust_in \'sandbox\'' -l seed -r -f -d 'number of generated customers when there is no data file'
complete -c poscust -n '__poscust_in \'sandbox\'' -l quota -r -f -d 'requests allowed per window (default: unlimited)'
complete -c poscust -n '__poscust_in \'sandbox\'' -l window -r -f -d 'rate-limit window'
complete -c poscust -n '__poscust_in \'sandbox\'' -l latency -r -f -d 'delay added to every answer'
complete -c poscust -n '__poscust_in \'sandbox\'' -l faults -r -f -d 'chance of a fault per request, 0 to 1'
complete -c poscust -n '__poscust_in \'sandbox\'' -l fault-kinds -r -f -a '500 drop-before drop-after 429 slow' -d 'faults to inject, from 500, drop-before, drop-after, 429, slow'
complete -c poscust -n '__poscust_in \'sandbox\'' -l slow -r -f -d 'delay of the "slow" fault'
complete -c poscust -n '__poscust_in \'sandbox\'' -l random-seed -r -f -d 'seed of the fault dice, for a reproducible run'
complete -c poscust -n '__poscust_in \'sandbox\'' -l token-ttl -r -f -d 'lifetime of issued tokens (default: DealPOS 3600, MYPOS 7200, PORTOS 3600)'
complete -c poscust -n '__poscust_in \'sandbox\'' -l token-limit -r -f -d 'MYPOS: tokens per API user per UTC day (default 250)'
complete -c poscust -n '__poscust_in \'sandbox\'' -l no-code-generator -d 'DealPOS: behave as a shop without the customer code generator'
complete -c poscust -n '__poscust_in \'sandbox\'' -l dialect -r -f -a 'all narrow-list records-count listid-comma listid-body delete-body newcode-message portos-code-names' -d 'answer like a real server that differs from the contract (repeatable; all for every one): dealpos: narrow-list, records-count, listid-comma, listid-body, delete-body, newcode-message; mypos: none; portos: portos-code-names (see docs/dialects.md)'

# poscust import
complete -c poscust -n '__poscust_in \'import\'' -l mode -r -f -a 'create upsert' -d 'upsert: create or update by --key; create: every row is new'
complete -c poscust -n '__poscust_in \'import\'' -l key -r -f -a 'code email mobile id externalId' -d 'field that identifies a customer: code, email, mobile or id on DealPOS (default: the backend\'s first)'
complete -c poscust -n '__poscust_in \'import\'' -l map -r -f -d 'read column Header (or #N, the Nth column) as native field Field; repeatable'
complete -c poscust -n '__poscust_in \'import\'' -l delimiter -r -f -d '\',\' \';\' or tab (default: Excel\'s sep= first line, else detected from the header)'
complete -c poscust -n '__poscust_in \'import\'' -l encoding -r -f -a 'windows-1250 windows-1252 iso-8859-1 iso-8859-2 utf-8 utf-16le' -d 'read a CSV file saved in a legacy encoding, e.g. windows-1252 or windows-1250 (default: UTF-8; a byte order mark always wins)'
complete -c poscust -n '__poscust_in \'import\'' -l sheet -r -f -d 'the workbook\'s sheet to read, by name or number (default: the first)'
complete -c poscust -n '__poscust_in \'import\'' -l date-format -r -f -a 'dd/MM/yyyy MM/dd/yyyy dd.MM.yyyy yyyy-MM-dd' -d 'how the file writes dates (default: yyyy-MM-dd); an impossible or two-digit-year date rejects its row'
complete -c poscust -n '__poscust_in \'import\'' -l clear-value -r -f -d 'a cell that is exactly this text (e.g. "#N/A") clears its field; empty cells still mean "not given"'
complete -c poscust -n '__poscust_in \'import\'' -l phone-format -r -f -a 'e164 national' -d 'write phone numbers as E.164 (+62812…) or in the region\'s national form, instead of as the file gives them'
complete -c poscust -n '__poscust_in \'import\'' -l dry-run -d 'validate and report what would happen; read but never write (no rejects file unless --rejects)'
complete -c poscust -n '__poscust_in \'import\'' -l diff -d 'with --dry-run: print every row that would change, field by field (old -> new); the summary goes to stderr'
complete -c poscust -n '__poscust_in \'import\'' -l save-plan -r -f -d 'save what would change, with the values it was computed from, for poscust apply; writes nothing else (a dry run)'
complete -c poscust -n '__poscust_in \'import\'' -l concurrency -r -f -d 'rows in flight at once (default: per backend, 8 on DealPOS)'
complete -c poscust -n '__poscust_in \'import\'' -l rate -r -f -d 'never send more than this many requests a second'
complete -c poscust -n '__poscust_in \'import\'' -l rejects -r -F -d 'where rejected and failed rows go (default: customers.rejects.csv beside customers.csv, written only when needed)'
complete -c poscust -n '__poscust_in \'import\'' -l report -r -F -d 'write every row\'s outcome (line, key, action, ID or error) as CSV'
complete -c poscust -n '__poscust_in \'import\'' -l resume -d 'continue the job the journal next to the file describes, skipping finished rows'
complete -c poscust -n '__poscust_in \'import\'' -l journal -r -F -d 'keep the journal here instead of <file>.poscust-journal'
complete -c poscust -n '__poscust_arg \'import\' 0' -F

# poscust export
complete -c poscust -n '__poscust_in \'export\'' -l name -r -f -d 'name contains, case-insensitive (DealPOS)'
complete -c poscust -n '__poscust_in \'export\'' -l outlet -r -f -d 'sign-up outlet (DealPOS)'
complete -c poscust -n '__poscust_in \'export\'' -l from -r -f -d 'joined on or after, yyyy-MM-dd (DealPOS)'
complete -c poscust -n '__poscust_in \'export\'' -l to -r -f -d 'joined on or before, yyyy-MM-dd (DealPOS)'
complete -c poscust -n '__poscust_in \'export\'' -l search -r -f -d 'name, company or note contains (PORTOS)'
complete -c poscust -n '__poscust_in \'export\'' -l filter -r -f -d 'NData filter, repeatable, e.g. \'DiscountRate=gt:10;lt:50\' (PORTOS)'
complete -c poscust -n '__poscust_in \'export\'' -l active -d 'active customers only (PORTOS)'
complete -c poscust -n '__poscust_in \'export\'' -l external-id -r -f -d 'by external id (PORTOS)'
complete -c poscust -n '__poscust_in \'export\'' -l card -r -f -d 'by card serial number (PORTOS)'
complete -c poscust -n '__poscust_in \'export\'' -l sort -r -f -d 'sort order (MYPOS, PORTOS)'
complete -c poscust -n '__poscust_in \'export\'' -l changed-since -r -f -d 'changed at or after, UTC (MYPOS)'
complete -c poscust -n '__poscust_in \'export\'' -l changed-until -r -f -d 'changed at or before, UTC (MYPOS)'
complete -c poscust -n '__poscust_in \'export\'' -l output -r -F -d 'write to this file (whole or not at all) instead of stdout; a name ending .xlsx writes an Excel workbook'
complete -c poscust -n '__poscust_in \'export\'' -l bom -d 'start the CSV with a UTF-8 byte order mark, so Excel shows accented names right (default: none, for scripts)'
complete -c poscust -n '__poscust_in \'export\'' -l since -r -f -d 'only customers changed at or after this time, where the backend can filter by change time (MYPOS); elsewhere use --state'
complete -c poscust -n '__poscust_in \'export\'' -l state -r -F -d 'write only the customers created, changed or deleted since the run that wrote this file, with a _change column; the file is updated once the output is complete (costs one full listing)'

# poscust apply
complete -c poscust -n '__poscust_in \'apply\'' -l concurrency -r -f -d 'rows in flight at once (default: per backend)'
complete -c poscust -n '__poscust_in \'apply\'' -l rate -r -f -d 'never send more than this many requests a second'
complete -c poscust -n '__poscust_in \'apply\'' -l rejects -r -F -d 'where conflicts and failed rows go (default: <plan>.rejects.csv beside the plan)'
complete -c poscust -n '__poscust_in \'apply\'' -l report -r -F -d 'write every row\'s outcome (line, key, action, ID or error) as CSV'
complete -c poscust -n '__poscust_in \'apply\'' -l resume -d 'continue an apply of this plan that stopped, skipping finished rows'
complete -c poscust -n '__poscust_in \'apply\'' -l journal -r -F -d 'keep the journal here instead of <plan>.poscust-journal'

# poscust history
complete -c poscust -n '__poscust_in \'history\'' -l limit -r -f -d 'show only the newest n jobs'
complete -c poscust -n '__poscust_at \'history\'' -f -a 'show' -d 'one job\'s writes: each customer, before and after'
complete -c poscust -n '__poscust_at \'history\'' -f -a 'prune' -d 'delete the jobs older than the profile keeps (90 days by default)'

# poscust history show

# poscust history prune

# poscust undo
complete -c poscust -n '__poscust_in \'undo\'' -l dry-run -d 'show what the undo would change, field by field; write nothing'

# poscust duplicates
complete -c poscust -n '__poscust_in \'duplicates\'' -l by -r -f -a 'email mobile phone name' -d 'rules, comma-separated: email, mobile, phone, name'
complete -c poscust -n '__poscust_in \'duplicates\'' -l keep -r -f -a 'most-points oldest newest most-complete' -d 'the survivor of each group'
complete -c poscust -n '__poscust_in \'duplicates\'' -l max-group -r -f -d 'a value shared by more customers than this is a placeholder, not a group'
complete -c poscust -n '__poscust_in \'duplicates\'' -l save-plan -r -f -d 'write the groups as a plan for poscust merge --plan'

# poscust migrate
complete -c poscust -n '__poscust_in \'migrate\'' -l from -r -f -d 'the shop to copy from'
complete -c poscust -n '__poscust_in \'migrate\'' -l to -r -f -d 'the shop to copy into'
complete -c poscust -n '__poscust_in \'migrate\'' -l map -r -f -d 'map source field Src to target field Dst (or Src= to leave it out); repeatable'
complete -c poscust -n '__poscust_in \'migrate\'' -l dry-run -d 'show what would change on the target, field by field; write nothing'
complete -c poscust -n '__poscust_in \'migrate\'' -l id-map -r -F -d 'write source_id,target_id for every customer (CSV)'
complete -c poscust -n '__poscust_in \'migrate\'' -l resume -d 'continue a migrate that stopped (the same as running it again: migrated customers are found by their link)'
complete -c poscust -n '__poscust_in \'migrate\'' -l rejects -r -F -d 'where customers the target refused go (default: migrate.rejects.csv here, written only when needed)'
complete -c poscust -n '__poscust_in \'migrate\'' -l concurrency -r -f -d 'customers in flight at once on the target'
complete -c poscust -n '__poscust_in \'migrate\'' -l rate -r -f -d 'never send the target more than this many requests a second'

# poscust completion
complete -c poscust -n '__poscust_arg \'completion\' 0' -f -a 'bash zsh fish'

# poscust help
complete -c poscust -n '__poscust_arg \'help\' 0' -f -a 'environment exit-codes list count get create update-by delete suspend unsuspend merge new-code pin verify app-signin profile doctor sandbox import export apply history undo duplicates migrate completion help'
